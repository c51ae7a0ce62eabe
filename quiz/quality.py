"""Which generated questions are worth asking. A question is dropped when:

1. its answer is a generic word or a fragment: "DB", "it", "2 types", a common English word as a cloze gap,
   a clause cut mid-way ("... to the", unbalanced brackets), code or markup (`np.zeros`, `<sub>`, `](#...)`);
   a definition whose term is itself a fragment ("If you notice always m") is dropped too;
2. it is a cloze whose blank cannot be told from its context: fewer than four words around it, the blank
   inside a number ("10,_____"), or in a table row or a link;
3. its prompt repeats its own answer (the answer, or its expansion "_____(elastic network interface)", is
   in the prompt);
4. it is a cloze on an example sentence of another language ("Jane visite l'_____ en septembre."), or a
   definition of an instruction ('What is "protect against DDoS attack"?');
5. it makes a typo the thing to recall: a term or cloze answer misspelt in the notes (see
   :mod:`quiz.spelling`) is asked with the right spelling when that spelling is in its cited lines, else the
   question is dropped. The notes' own spelling stays inside quotes ('What is "kakfa"?').
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from quiz.acronyms import expands, is_acronym
from quiz.cloze import BLANK
from quiz.model import Question
from quiz.spelling import clearly_better, typos, without_links, zipf
from text.words import STOPWORDS, closed, content_words

GENERIC = frozenset({"db", "data", "it", "this", "that", "these", "those", "thing", "things", "stuff", "ok",
                     "yes", "no", "etc", "type", "types", "way", "ways", "one", "some", "many", "all", "other",
                     "others", "part", "parts", "item", "items", "example", "examples", "e.g", "eg", "value",
                     "values", "option", "options", "result", "results", "number", "same", "more", "less",
                     "here", "there", "above", "below", "true", "false", "none", "null", "code", "note", "notes",
                     "advantage", "advantages", "disadvantage", "disadvantages", "conclusion", "input", "output",
                     "file", "files", "topic", "total", "repository", "hint", "summary", "intuition", "idea", "extra",
                     "extras", "optional", "update", "best", "first", "second", "reason", "case", "step", "steps",
                     "then", "so", "now", "also", "default", "custom",
                     # a note to self, not a fact (heldout12's teacher: "TODO: check")
                     "todo", "fixme", "tbd", "nb", "xxx", "wip", "remember",
                     # a label over what follows, not its name (heldout14's teacher: 'What is "mnemonic"?';
                     # heldout15's: "test", "aim", "exception"), or the course's own business ("exam")
                     "mnemonic", "mnemonics", "test", "aim", "exception", "exceptions", "exam", "exams",
                     "assessment", "revision", "seminar", "lecture", "tutorial",
                     # a reply's or an objection's label over what follows, and more of the course's business
                     # (heldout16's teacher: "obj", "objs", "reply", "cost", "Lecturer", "core text")
                     "obj", "objs", "objection", "objections", "reply", "replies", "criticism", "criticisms",
                     "cost", "costs", "better", "lecturer", "lecturers", "lectures", "seminars", "tutor",
                     "essay", "essays", "deadline", "coursework", "core text", "exam tip", "tip", "tips",
                     # heldout17's teacher: a legend line's label and the course's own advice
                     "legend", "dates", "set text", "slide list",
                     # heldout21's and heldout22's teachers: the course's business and a legend's other name
                     "admin", "key", "office hours", "office hrs", "listening test", "practical", "practicals"})
#: A course's code ("ARTH 101", "PHIL101", "CHEM 1010"): the title of the notes, not a term.
_COURSE_CODE = re.compile(r"^[A-Z]{2,5}\s?\d{3,4}[A-Z]?$")
#: A label that is the student's own framing, not a name: "my view", "key idea", "big split".
_OWN_LABEL = re.compile(r"^(?:my|key|main|big)\s+(?:view|idea|point|word|split|picture|takeaway|question)s?$", re.I)
#: A line of the course's business: an admin word and a day, a time or a week ("Essay 1 due Fri wk 7 12:00",
#: "Seminars w/ Ruth, Thurs 2pm, rm 3.14"; heldout16's teacher). Both are needed: "due to" alone is no deadline.
_ADMIN_WORD = re.compile(r"\b(?:due(?!\s+to\b)|deadline|submit|hand[- ]in|essay|seminars?|lectures?|lecturer|office hours|"
                         r"moodle|exam|revision|admin|office hrs|practicals?|listening tests?|rm|room)\b", re.I)
_ADMIN_WHEN = re.compile(r"\b(?:mon|tues?|wed|thu|thurs?|fri)(?:day)?\b|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|"
                         r"\b\d{1,2}:\d{2}\b|\bnoon\b|\bwk\s?\d|\bweek\s\d|\d\s?%", re.I)  # or a weight: "essay 30%"
#: The course's own website: a line that points there is about the course, not the subject ("Blackboard" is
#: left out: it names an architecture and a company too).
_COURSE_SITE = re.compile(r"\b(?:moodle|the vle)\b", re.I)
#: A line that is a note to self ("TODO: redo textbook qs 9.45-9.60 (VSEPR)", "check this: ...", "ask TA about
#: ..."; heldout13's and heldout14's teachers): a reminder, not a fact to learn.
_NOTE_TO_SELF = re.compile(r"^[^\w]*(?:todo|fixme|tbd|check this|double[- ]check|ask (?:the )?(?:ta|prof|professor|"
                           r"teacher|tutor|lecturer)|remember to)\b", re.I)  # not "redo": "redo log: ..." is a fact
#: A label that opens as a question ("Can we conclude this relation", "Why does it work"): the bullets under it
#: answer it, they are not "the N items listed under" it.
_QUESTION_LEAD = re.compile(r"(?:can|could|do|does|did|is|are|was|were|should|would|will|why|how|what|when|where|"
                            r"which|who)\s", re.I)
#: "rondo vs ternary", "maj vs min triad": a comparison's label is no name a student could recall from what it
#: says (heldout22's teacher); its definition card ('What is "rondo vs ternary"?') is still asked.
_VERSUS = re.compile(r"(?<=\S)\s(?:vs\.?|versus)\s(?=\S)", re.I)
#: A line the notes mark as outside the exam ("magnetosomes - ... (not examinable)", "figured bass realisation = not
#: examinable this yr"; heldout21's and heldout22's teachers): asking it spends a study day on what will not come up.
_NOT_EXAMINABLE = re.compile(r"\b(?:not|non-?)\s?examinable\b", re.I)
#: A line the student marks as unsure at its end ("... (Bradbury v Morgan (1862)) - check this", "(not sure)").
_UNSURE = re.compile(r"(?:check this|double[- ]check|not sure|unsure|verify)\W*$", re.I)
_GENERIC_TERM = re.compile(r"^(?:option|case|step|example|method|approach|way|rule|reason|point)\s*(?:\d+|one|two|"
                           r"three|four|a|b|c)?$", re.I)
#: A term that is an example ("e.g. Cl") or a step of a chain ("cause -> effect", "AD up -> SR"), not a name.
_NOT_A_NAME = re.compile(r"^(?:e\.g|i\.e)\.?(?!\S)|->|=>|[→⇒]", re.I)  # "IE" (ionisation energy) is a name
#: A cloze gap that is a number of the course's own structure: "wk _____ lectures", "ch. _____", "lab _____".
_COURSE_NUMBER = re.compile(r"\b(?:wks?|weeks?|ch|chaps?|chapters?|lecs?|lectures?|labs?|hw|homework|psets?|"
                            r"units?|modules?|pp?|pages?|pgs?|slides?)\.?\s*$", re.I)
#: A cloze gap that is the year of a case citation: "Carlill v Carbolic Smoke Ball Co (_____)", "Vitol v Norelf
#: (The Santa Clara) (_____)" ask when a case was reported, not what it decided.
_CITATION_YEAR = re.compile(r"\bv\.?\s++[A-Z](?:[^()\n]|\([^()\n]{0,60}+\)){0,120}+\(\s*+$")
_COUNTED_GENERIC = re.compile(r"^\d+\s+(?:types?|ways?|kinds?|things?|items?|parts?|options?|steps?|points?)$", re.I)
_CODE = re.compile(r"`|\bnp\.|\btf\.|\s#\s|<su[bp]>|&#\d|\]\(|\[\[|\w\[\w*\]|^\s*[-+*/=<>,]|[=+*/]\s*$|"
                   r"(?:^|[\s,(])(?:[A-Za-z]{1,3}|[A-Za-z]++[\d_]\w*+)\s?=(?![=>])|\w\s?[*^]\s?\w", re.I)
_CUT = frozenset({"a", "an", "the", "of", "to", "for", "with", "and", "or", "in", "on", "at", "by", "from", "as", "is",
                  "are", "be", "than", "that", "which", "if", "but", "because", "into", "its", "their", "your",
                  "our", "like", "such", "e.g", "i.e",
                  # a clause cut after its opening ("S knows that p iff", "... only if they"; heldout16's teacher)
                  "iff", "they", "we", "whether", "unless"})
_LEADING = frozenset({"if", "then", "so", "and", "but", "or", "when", "where", "which", "while", "because",
                      "in", "on", "for", "with", "to", "of", "by", "as", "at", "from", "let's", "lets",
                      "suppose", "we", "you", "it", "this", "that", "there", "here"})
COMMON_ZIPF = 4.5  # a capitalised cloze gap this common in English is an ordinary word ("Using", "Face")
#: Languages an example sentence may be in; a word is of one of them when its Zipf frequency there beats
#: English by FOREIGN_MARGIN ("visite" 4.9 in French, 2.1 in English; "Afrique" 5.0 and 2.5).
OTHER_LANGUAGES = ("fr", "es", "de", "it", "pt", "nl")
FOREIGN_MARGIN = 1.5
_VERB_LEAD = frozenset({"protect", "allow", "enable", "provide", "send", "define", "deploy", "connect", "prevent",
                        "avoid", "reduce", "increase", "get", "make", "run", "do", "check", "add", "remove"})
MIN_CONTEXT_WORDS = 4
#: A blank inside a link's text whose closing "](url)" is on the next line: "check out [A _____ At The Index".
_IN_LINK_TEXT = re.compile(r"\[[^[\]\n]*" + re.escape(BLANK))
#: Words that point back to something the answer does not name: "trigger it".
_POINTERS = frozenset({"it", "this", "that", "them", "they", "these", "those", "its", "he", "she", "him", "her"})


def fragment(text: str) -> bool:
    """A clause cut mid-way, or code and markup rather than words."""
    words = text.strip().rstrip(".").split()
    # round brackets may stay open: a trimmed answer can cut one ("layer 7(http")
    if not words or not closed(text, "[]{}", quotes=True) or _CODE.search(text):
        return True
    return words[-1].lower().strip(",;:") in _CUT or text.rstrip()[-1] in ",:(" or words[-1].strip("-") == "" \
        or text.rstrip().endswith("(-")


def generic(answer: str, kind: str) -> bool:
    low = answer.strip().lower().rstrip(".")
    if len(low) < 2 and not low.isdigit() or low in GENERIC or _GENERIC_TERM.match(low) or low in STOPWORDS or _COUNTED_GENERIC.match(low):
        return True
    if kind != "cloze" and re.fullmatch(r"[\d.,%/x+ -]+", low):
        return True  # "15%": a value from an example, meaningless without it
    if kind == "cloze" and re.fullmatch(r"[A-Z][a-z]+", answer) and zipf(low) >= COMMON_ZIPF:
        return True
    if re.fullmatch(r"<?(?:[a-z][a-z0-9+.-]*://|www\.)\S+>?", answer.strip(), re.I):
        return True  # a bare link: nothing to recall
    return not re.search(r"[A-Za-z0-9]", answer)


def _foreign(word: str) -> bool:
    """A word another language knows far better than English ("visite", "Afrique", "septembre")."""
    from wordfreq import zipf_frequency

    low = word.lower()
    if len(low) < 3 or not low.isalpha():
        return False
    english = zipf_frequency(low, "en")
    return max(zipf_frequency(low, lang) for lang in OTHER_LANGUAGES) >= english + FOREIGN_MARGIN


def other_language(q: Question) -> bool:
    """A cloze whose blank is a word of another language, or whose sentence mostly is ("Jane visite
    l'_____ en septembre.")."""
    if q.kind != "cloze":
        return False
    quoted = re.search(r'"(.*)"$', q.question)
    words = re.findall(r"[^\W\d_]{3,}", (quoted.group(1) if quoted else q.question).replace(BLANK, " "))
    foreign = sum(_foreign(w) for w in words)
    answer_words = re.findall(r"[^\W\d_]+", q.answer)
    if foreign and answer_words and not q.answer.isupper() and all(_foreign(w) for w in answer_words):
        return True  # a foreign word blanked among foreign words; a name alone ("Vinyals") is no sentence
    return len(words) >= 2 and foreign * 2 > len(words)


def _label(term: str) -> bool:
    """A term that names nothing one could be asked about: a generic word or label ("Conclusion", "Option 2",
    "mnemonic (mine)"), an example ("e.g. Cl") or a step of a chain ("cause -> effect")."""
    # "mnemonic (mine)"; "step 1 (slow)" stays a step, and a remark that names ("obj (LUCK objection)") a name
    bare = re.sub(r"\s*\((?![^()]*[A-Z][\w'-])[^()]*\)$", "", term).strip(" *")
    return bare.lower() in GENERIC or bool(_GENERIC_TERM.match(term.strip(" *")) or _NOT_A_NAME.search(term)
                                           or _OWN_LABEL.match(bare) or _COURSE_CODE.match(bare))


def _term_fragment(term: str) -> bool:
    words = term.split()
    if words and words[0].lower() in _VERB_LEAD:
        return True  # 'What is "protect against DDoS attack"?': an instruction, not a name
    if _label(term):
        return True  # 'What is "Conclusion"?', 'What is "Option 2"?', 'What is "e.g. Cl"?': nothing to tell it by
    return words[0].lower() in _LEADING or fragment(term) or words[-1].lower() in _CUT


def _cloze_context(q: Question) -> str | None:
    quoted = re.search(r'"(.*)"$', q.question)
    prompt = quoted.group(1) if quoted else q.question
    around = [w for w in content_words(prompt.replace(BLANK, " ")) if not w.isdigit()]
    lettered = re.findall(r"[A-Za-z]{2,}", prompt.replace(BLANK, " "))  # "L1 cache reference _____ ns": 3 words
    if len(around) < MIN_CONTEXT_WORDS or len(lettered) < MIN_CONTEXT_WORDS:
        return "too little context around the blank"
    if re.search(r"</?[a-z][^>]*>?|href=|\]\(", prompt):
        return "the blank is in HTML or link markup"
    if re.search(rf"[\d,.]{re.escape(BLANK)}|{re.escape(BLANK)}[,.]?\d", prompt):
        return "the blank is part of a number"
    if re.search(rf"{re.escape(BLANK)}['’](?!s\b)[a-z]", prompt, re.I):
        return "the blank cuts a word at its apostrophe"  # "_____'T quote as fact" for DON'T
    if re.fullmatch(r"[\d.–-]+", q.answer.strip()) and _COURSE_NUMBER.search(prompt.split(BLANK)[0]):
        return "the blank numbers the course (a week, chapter or lab), not a fact"
    if re.fullmatch(r"1\d{3}|20\d{2}", q.answer.strip()) and _CITATION_YEAR.search(prompt.split(BLANK)[0]):
        return "the blank is a case citation's year, not what the case decided"
    if prompt.count("|") >= 2 or "](" in prompt or "`" in prompt or _IN_LINK_TEXT.search(prompt):
        return "the blank is in a table row, a link or code"
    return None


def repeats_answer(q: Question) -> bool:
    answer = q.answer.strip().lower()
    if q.kind in ("mcq", "tf") or len(answer) < 2:
        return False
    if q.kind == "list":
        return any(len(i) > 2 and re.search(rf"\b{re.escape(i.lower())}\b", q.term.lower()) for i in q.parts)
    shown = q.question.replace(BLANK, " ")
    if q.kind == "definition":
        shown = q.term
    if re.search(rf"(?<![\w-]){re.escape(answer)}(?:s|es)?(?![\w-])", shown.lower()):
        return True
    if is_acronym(q.answer):  # "_____(elastic network interface)", a topic "Network Load Balancer" for NLB
        words = re.findall(r"[A-Za-z][\w-]*", shown)
        size = len(q.answer)
        spelled = any("".join(w[0] for w in words[i:i + size]).lower() == answer and all(len(w) > 2 for w in
                                                                                        words[i:i + size])
                      for i in range(len(words) - size + 1))  # any run of words with its initials
        return spelled or any(expands(q.answer, " ".join(words[i:j])) for i in range(len(words))
                              for j in range(i + 2, min(len(words), i + len(q.answer) + 2) + 1))
    return False


def _points_back(answer: str) -> bool:
    """A short answer that points back to what it does not name ("trigger it"; "He initialization" names; a
    quoted phrase points at nothing: 'declarative ("knowing that")')."""
    said = re.findall(r"[A-Za-z']+", re.sub(r'"[^"]*"', " ", answer))
    return len(said) <= 3 and bool(_POINTERS & set(said))


def why_dropped(q: Question) -> str | None:
    """The rule a question breaks, else None."""
    if _CODE.search(q.question):
        return "code or markup in the question"
    if _NOTE_TO_SELF.match(q.quote) or _UNSURE.search(q.quote):
        return "the line is a note to self"
    if _NOT_EXAMINABLE.search(q.quote):
        return "the notes say the line is not examinable"
    if _ADMIN_WORD.search(q.quote) and _ADMIN_WHEN.search(q.quote) or _COURSE_SITE.search(q.quote):
        return "the line is course admin (a deadline, a class time, a weight, the course website)"
    if q.kind == "tf" and (shown := re.search(r'as "(.*)"\.$', q.question)) and \
            (fragment(shown.group(1)) or _points_back(shown.group(1))):
        return "the statement is a fragment"
    if q.kind in ("definition", "mcq", "tf") and _term_fragment(q.term):
        return f'the term "{q.term}" is generic or a fragment'
    if q.kind == "list" and (_label(q.term) or _QUESTION_LEAD.match(q.term)):
        return f'the label "{q.term}" is generic or asks a question: its bullets are no items of it'
    if q.kind == "term" and q.answer.split()[0].lower() in _VERB_LEAD:
        return f'the term "{q.term}" is an instruction, not a name'
    if q.kind == "term" and _label(q.term):
        return f'the term "{q.term}" is a label, an example or a step, not a name'
    if q.kind == "term" and _VERSUS.search(q.answer):
        return f'the term "{q.term}" is a comparison, not a name to recall'
    answers = q.parts if q.kind == "list" else () if q.kind == "tf" else (q.answer,)
    for answer in answers:
        if generic(answer, q.kind):
            return f'the answer "{answer}" is a generic word'
        if fragment(answer) and not (q.kind == "cloze" and re.fullmatch(r"[\w .%-]+", answer)):
            return f'the answer "{answer}" is a fragment or code'
        if q.kind != "cloze" and _points_back(answer):
            return f'the answer "{answer}" points back to something it does not name'
    if q.kind in ("mcq", "tf") and any(fragment(c) for c in q.choices if c not in ("True", "False")):
        return "a choice is a fragment or code"
    if q.kind == "cloze" and (reason := _cloze_context(q)):
        return reason
    if other_language(q):
        return "the blank is in a sentence of another language"
    if repeats_answer(q):
        return "the prompt gives its answer away"
    return None


#: An acronym the notes write at most this often, one swap away from one they write in capitals at least
#: ACRONYM_USUAL times, is a slip of the keyboard ("MKS" once, "KMS" 30 times in the shipped notes). Never one
#: swap away from an everyday word (Zipf ACRONYM_NOT_A_WORD or more): "NAD+" is not "AND+", nor "LAL" "ALL",
#: however often a student shouts AND (heldout21's review).
ACRONYM_RARE = 1
ACRONYM_USUAL = 3
ACRONYM_NOT_A_WORD = 5.0


def swapped_acronym(answer: str, notes_words: Counter[str]) -> str | None:
    """The acronym the notes usually write for ``answer``, when ``answer`` is a rare swap of it."""
    if not (answer.isupper() and answer.isalpha() and 2 < len(answer) <= 6):
        return None
    low = answer.lower()
    if notes_words[low] > ACRONYM_RARE:
        return None
    for i in range(len(low) - 1):
        swapped = low[:i] + low[i + 1] + low[i] + low[i + 2:]
        if swapped != low and notes_words[swapped.upper()] >= ACRONYM_USUAL and clearly_better(swapped, low) \
                and zipf(swapped) < ACRONYM_NOT_A_WORD:
            return swapped.upper()  # "MKS" -> "KMS"; never "YAML" -> "YALM", which English knows less
    return None


def respell(q: Question, notes_words: Counter[str]) -> Question | None:
    """A term or cloze question whose answer is misspelt in the notes: asked with the right spelling when its
    cited lines have it (or, for an acronym swapped once, when the notes usually write it the right way),
    else None. Other questions come back unchanged."""
    if q.kind not in ("term", "cloze", "list"):
        return q
    if q.kind in ("term", "cloze") and (right := swapped_acronym(q.answer, notes_words)):
        return replace(q, answer=right, term=right if q.kind == "cloze" else q.term)  # term and answer agree
    wrong = typos(q.answer, notes_words)
    if not wrong:
        return q
    fixed = q.answer
    for word, right in wrong:
        if not re.search(rf"\b{re.escape(right)}\b", q.quote, re.I) or q.kind == "list":
            return None
        fixed = _respelt(fixed, word, right if word.islower() else right.capitalize())
    return replace(q, answer=fixed)


def _respelt(text: str, word: str, right: str) -> str:
    """``text`` with ``word`` written ``right`` wherever it stands outside a URL or an e-mail address."""
    unlinked = without_links(text)
    return re.sub(rf"\b{re.escape(word)}\b", lambda m: m.group() if unlinked[m.start()] == " " else right, text)


def worth_asking(questions: list[Question], notes_words: Counter[str]) -> list[Question]:
    kept = []
    for q in questions:
        if why_dropped(q) is None and (fixed := respell(q, notes_words)) is not None:
            kept.append(fixed)
    return kept
