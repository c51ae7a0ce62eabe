"""How closely an answer's words match the notes' words: names (terms, cloze gaps, list items) and key-term
coverage of a definition. Typos, word order, ``5 tb``/``5TB``, acronyms and their expansions, and the right
spelling of a word the notes misspell are forgiven; numbers never."""

from __future__ import annotations

import functools
import itertools
import math
import re

import Stemmer
from rapidfuzz import fuzz

from quiz.acronyms import (
    SHORT_FORMS,
    VENDORS,
    acronyms_in,
    is_acronym,
    letters_in_order,
    same_name,
    spell_out,
)
from quiz.contradiction import (
    claims,
    folded,
    lexicon,
    neighbours_swapped,
    parts_outside_brackets,
    same_duration,
    spelled_numbers,
    without_remarks,
)
from quiz.spelling import compound_initials, one_typo_apart, prefixed_opposite, zipf
from quiz.tuning import QUIZ
from text.words import closed, content_words

#: Units spelled out, as the notes abbreviate them ("0.052 milliseconds" is "0.052 ms").
_UNIT_OF = {"milliseconds": "ms", "millisecond": "ms", "msec": "ms", "kilobytes": "kb", "kilobyte": "kb",
            "megabytes": "mb", "megabyte": "mb", "gigabytes": "gb", "gigabyte": "gb", "terabytes": "tb",
            "terabyte": "tb", "seconds": "s", "second": "s", "secs": "s", "sec": "s", "minutes": "min",
            "minute": "min", "mins": "min", "hours": "h", "hour": "h", "hrs": "h", "hr": "h"}
#: A unit glued to its number is the unit spelled out ("20s" is "20 seconds"): both are compared as "20s".
_UNIT_NAMES = re.compile(r"(?<=\d)\s*(" + "|".join(sorted(_UNIT_OF, key=len, reverse=True)) + r")\b")


def norm(text: str) -> str:
    """Lower case, punctuation to spaces, ``5 tb`` -> ``5tb``: the form answers are compared in."""
    text = re.sub(r"(\d),(\d{3})\b", r"\1\2", text.lower())
    text = _UNIT_NAMES.sub(lambda m: _UNIT_OF[m.group(1)], text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"(\d)\s+(gb|tb|mb|kb|ms|sec|s|mins?|hours?|days?|months?|years?)\b", r"\1\2", text).strip()


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _acronym(text: str) -> str:
    return "".join(w[0] for w in norm(text).split() if w not in {"of", "and", "for", "the", "a", "an"})


def _initials_of_all(text: str) -> str:
    """Initials with the small words in: "San Francisco Museum of Modern Art" -> "sfmoma"."""
    return "".join(w[0] for w in norm(text).split())


def alternatives(expected: str) -> list[str]:
    """The names a name offers: "Decimal / Floating-Point" -> itself, "Decimal", "Floating-Point" (and two long
    words joined by a bare slash: "composite/stratovolcano"); a name
    and its alias in brackets or quotes -> each ("tunica externa (adventitia)", 'S2 "dub"', "autonomic (ANS)"), and
    each alias of "A / B" in the brackets ("anacrusis (upbeat / pick-up)"); a name with a remark inside -> the name
    without it ("F plasmid" for "F (fertility) plasmid");
    a Roman numeral -> its number too ("II" -> "2")."""
    parts = [p.strip() for p in re.split(r"\s+/\s+", expected) if p.strip()]
    if any(p.count("(") != p.count(")") for p in parts):
        parts = [expected]  # the slash is inside a bracket: "anacrusis (upbeat / pick-up)" is one name
    if len(parts) == 1 and re.fullmatch(r"[A-Za-z]{5,}/[A-Za-z]{5,}", expected.strip()):
        parts = expected.strip().split("/")  # two words for one thing: "composite/stratovolcano"
    names = [expected, *parts] if len(parts) > 1 else [expected]
    if (aliased := _ALIASED.match(expected.strip())) and (name := aliased.group("name").strip()):
        alias = aliased.group("a1") or aliased.group("a2")
        if not re.fullmatch(r"[\d.,%~\s]+", name):  # "300 (seconds)" is a number, not a name
            names.append(name)
        # "http" alone does not name "layer 7 (http)"; "H0" names "null hypothesis (H0)", "V7" "dominant 7th (V7)",
        # "basic reproduction number" "R0 (basic reproduction number)"
        if " " not in name and re.search(r"[A-Za-z]", name) or set(re.findall(r"\d+", name)) <= set(re.findall(r"\d+", alias)):
            names.append(alias)
            names += [p.strip() for p in re.split(r"\s+/\s+", alias) if p.strip()] if " / " in alias else []
    elif (inner := _INNER_REMARK.fullmatch(expected.strip())) and inner.group(1).strip() and inner.group(2).strip():
        names.append(f"{inner.group(1).strip()} {inner.group(2).strip()}")  # "F plasmid" for "F (fertility) plasmid"
    if (roman := _ROMAN.get(expected.strip())) is not None:
        names.append(roman)
    if (cited := _CITED.match(expected.strip())) is not None:
        names.append(cited.group("who"))  # "Harlow" for the study "Harlow 1958"
    words = expected.split()
    if 2 <= len(words) <= 3 and words[-1].lower() in _KIND_NOUNS and len(words[-2]) >= 5:
        names.append(" ".join(words[:-1]))  # "primacy" for "primacy effect"
    return names + [n.replace("&", " and ") for n in names if "&" in n]  # "Peterson and Peterson"


#: Nouns that say what kind of thing a name is: "primacy" names "primacy effect" as well.
_KIND_NOUNS = frozenset({"effect", "theory", "hypothesis", "principle", "law", "bias", "fallacy", "paradox"})

#: A study cited by its authors and year ("Harlow 1958", "McGarrigle & Donaldson 1974"): the authors name it.
_CITED = re.compile(r"\A(?P<who>[A-Z][\w'’-]*+(?:\s(?:&|and|[A-Z][\w'’-]*+))*+)\s\(?(?:1[5-9]|20)\d\d[a-z]?\)?\Z")


#: A name with an alias in brackets or quotes ("tunica externa (adventitia)", 'S2 "dub"'); a bracket inside the
#: name keeps its place ("JG (granular) cells" is one name).
_ALIASED = re.compile(r'\A(?P<name>[^()"]++)(?:\("?(?P<a1>[^()"]{2,}+)"?\)|"(?P<a2>[^()"]{2,}+)")\Z')
#: A name with a remark in brackets inside it ("F (fertility) plasmid"): the name without it names it too.
_INNER_REMARK = re.compile(r"\A([^()]*+)\([^()\d]++\)([^()]*+)")  # not a year: "Chomsky (1957) ..."
_ROMAN = {r: str(i) for i, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"],
                                          start=1) if len(r) > 1}


def _tokens(text: str) -> list[str]:
    """Words and numbers, a CamelCase name in its parts ("BatchNorm" -> "batch", "norm")."""
    return re.findall(r"[a-z]+|\d+(?:\.\d+)?", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", spelled_numbers(text)).lower())


def _truncates(short: str, word: str, kept: int = 5) -> bool:
    """``short`` is ``word`` cut short, as notes abbreviate ("unilat" unilateral, "frust" frustration): ``kept``
    letters or more (five; three where a full stop marks the cut: "prop."), with two or more left off."""
    return len(short) >= kept and len(word) >= len(short) + 2 and word.startswith(short)


def _cut_short(theirs: list[str], mine: list[str], given: str) -> bool:
    """Word for word the notes' name, some words cut short: five letters kept, or three where a full stop
    marks the cut, an initial with its full stop ("C. D. Friedrich"), an English short form ("St" for
    Saint) or the notes' own initial said in full ("Prof Lindqvist's analogy" for "Prof L's analogy"), where
    another word of the name is said whole ("prop. dualism"; "prop." alone says too little)."""
    dotted = set(re.findall(r"(?<![\w.])([a-z]{3,})\.", given.lower()))
    initials = set(re.findall(r"(?<![\w.])([a-z])\.", given.lower()))  # "C. D. Friedrich", "S. Maria"
    pairs = list(zip(theirs, mine, strict=True))
    dotted_cuts = [a for a, b in pairs if a != b and not _truncates(b, a) and
                   (b in dotted and _truncates(b, a, 3) or b in initials and len(a) >= 3 and a[0] == b
                    or a in SHORT_FORMS.get(b, ()) or len(a) == 1 and len(b) >= 3 and b[0] == a)]  # "Prof L" said in full
    return all(a == b or _truncates(b, a) or a in dotted_cuts for a, b in pairs) and \
        (not dotted_cuts or any(a == b for a, b in pairs))


def term_similarity(expected: str, given: str) -> float:
    """0..1: how well a short answer names ``expected`` (typos, order, acronyms, number words, extra words
    tolerated); any of the alternatives of "A / B" will do."""
    return max(max(_similarity(e, given), _similarity(*bare) if (bare := _without_vendor(e, given)) else 0.0)
               for e in alternatives(expected))


def _same_tokens(expected: str, given: str, code: bool, any_order: bool = False) -> bool:
    """Word for word the same, up to number words ("one year"), a typo per word ("10 yeras"), the notes'
    abbreviations ("ebs vol" for "EBS volume") and a compound's initials ("cw" for "CloudWatch"); with
    ``any_order``, a name of two or three words in either order ("gateway endpoint" for "endpoint gateway").
    ``code``: ``expected`` is a code in capitals (``is_acronym``)."""
    if code:  # a code's plural is the code: "UUIDs", "URLs", "uuids" ("KMS" keeps its capital S)
        expected, given = (re.sub(r"(?<=[A-Z0-9])s$", "", t.strip()) for t in (expected, given))
        given = given[:-1] if given.lower() == expected.lower() + "s" else given
    e, g = _tokens(expected), _tokens(given)
    if not e or len(e) != len(g):
        return False
    orders = itertools.permutations(g) if any_order and 2 <= len(g) <= 3 else [g]
    return any(all(_same_word(a, b, code) for a, b in zip(e, order, strict=True)) for order in orders)


def _spells_codes(expected: str, given: str) -> bool:
    """A name with a code in capitals among its words, said with the code spelled out by words whose
    initials are its letters, the other words the same: "somatic nervous system" for "somatic NS"."""
    theirs, mine = expected.split(), norm(given).split()
    if not any(is_acronym(w) for w in theirs) or len(theirs) < 2:
        return False
    at = 0
    for word in theirs:
        if is_acronym(word):
            n = len(word)
            if "".join(w[0] for w in mine[at:at + n]) != word.lower():
                return False
            at += n
        elif at < len(mine) and _same_word(norm(word), mine[at]):
            at += 1
        else:
            return False
    return at == len(mine)


def _initial_hyphenated(expected: str, given: str) -> bool:
    """A name of two words or more said with a word cut to its initial and hyphened to the next ("H-bonding"
    for "hydrogen bonding"), the other words the same."""
    if not re.search(r"\b[A-Za-z]-[A-Za-z]{2}", given):
        return False
    theirs, mine = _tokens(expected), _tokens(re.sub(r"\b([A-Za-z])-(?=[A-Za-z]{2})", r"\1 ", given))
    return len(theirs) == len(mine) >= 2 and any(len(b) > 1 for b in mine) and \
        all(len(a) >= 3 and a[0] == b if len(b) == 1 else _same_word(a, b) for a, b in zip(theirs, mine, strict=True))


def _same_word(a: str, b: str, code: bool = False) -> bool:
    """``b`` says the word ``a``: a slip, the notes' abbreviation ("conv" for "convolutional"), a compound's
    initials ("cw"). A code in capitals takes no slip ("json" is not "JSONB"), only a word it abbreviates
    ("unknown" for "UNK") and, five letters or more, a swap of two neighbouring letters."""
    if a == b or a.isdigit():
        return a == b
    if a in compound_initials(b) or b in compound_initials(a) or not code and (abbreviates(a, b) or abbreviates(b, a)):
        return True
    if code:  # "ngnix" for "NGINX": a long code's two neighbouring letters swapped spell no other code
        return b.startswith(a) and len(b) >= len(a) + 2 or len(a) >= 5 and neighbours_swapped(a, b)
    return one_typo_apart(a, b) or len(a) >= 3 and b.startswith(a)


def _letters_of(code: str, word: str) -> bool:
    """``word`` is one rare word (a technical term, not everyday English) that starts with the code's first
    letter, holds its letters in order, and is at least three times as long: "neurotransmitter" for "nt"
    ("cloudwatch" is no "ct": its parts are English words, so only "cw" abbreviates it)."""
    if not word.isalpha() or len(word) < 3 * len(code) or zipf(word) >= QUIZ.rare_word_zipf \
            or compound_initials(word):  # a compound of two English words has its own initials ("cw")
        return False
    return letters_in_order(code, word)


#: A number and the word or sign after it ("9.4%", "20 lines", "10 years").
_NUMBER_UNIT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(%|[a-z]+)?", re.I)
#: A possessive "'s" after a word of two letters or more ("Wien's"; not the notes' initial in "Prof L's").
_POSSESSIVE = re.compile(r"(?<=\w\w)['’]s\b")
#: A simple fraction typed for a decimal: "1/2" for 0.5 (heldout24).
_FRACTION = re.compile(r"(\d{1,3})\s?/\s?(\d{1,3})")
_PERCENT = frozenset({"%", "percent", "pct"})


def _unit(word: str | None) -> str:
    word = (word or "").lower()
    if word in _PERCENT:
        return "%"
    return _UNIT_OF.get(word, word) if content_words(word) else ""


def number_answer(expected: str, given: str) -> float | None:
    """For an expected answer that is one number with its unit: 1.0 when the answer states that number, with
    that unit or none, whatever it adds ("the 9.4% caused by other errors"); 0.0 when it puts another unit
    on it ("20 lines" for "20%"). None when the expected answer is not one number, or the answer states
    another number too."""
    e = _NUMBER_UNIT.fullmatch(spelled_numbers(expected).strip(" ~."))
    if e is not None and (fraction := _FRACTION.fullmatch(given.strip())) and int(fraction.group(2)) != 0:
        value = int(fraction.group(1)) / int(fraction.group(2))
        return 1.0 if math.isclose(value, float(e.group(1)), abs_tol=1e-9) else 0.0
    said = list(_NUMBER_UNIT.finditer(spelled_numbers(given)))
    if e is None or not said or any(float(m.group(1)) != float(e.group(1)) for m in said):
        return None
    wanted = _unit(e.group(2))
    units = {_unit(m.group(2)) for m in said} - {""}
    return 0.0 if wanted and units and not any(_same_word(wanted, u) for u in units) else 1.0


_VENDOR_WORD = re.compile(r"\b(?:" + "|".join(VENDORS) + r")\b\s*", re.I)


def _without_vendor(expected: str, given: str) -> tuple[str, str] | None:
    """Both names without their vendor words, when either has one: "Amazon EventBridge" names the notes'
    "event bridge", and "Athena" names "Amazon Athena"."""
    if not (_VENDOR_WORD.search(expected) or _VENDOR_WORD.search(given)):
        return None
    bare = _VENDOR_WORD.sub("", expected).strip(), _VENDOR_WORD.sub("", given).strip()
    return bare if all(bare) else None


def _last_name(expected: str, given: str) -> bool:
    """A proper name of two or three capitalised words named by its last word alone, a word rare in English
    (``QUIZ.surname_zipf``): "Karpathy" for "Andrej Karpathy", "LeCun" for "Yann Lecun", "dvorak" for "Antonín
    Dvořák" (accents are compared, and counted in English, without their marks: "Frédéric" is "frederic")."""
    words, said = expected.split(), folded(given.strip()).lower()
    first, last = folded(words[0]).lower(), folded(words[-1]).lower()
    if re.search(r"(?:ian|ean|ic|ist)$", first) and zipf(first) < QUIZ.surname_zipf:
        return False  # "AUGUSTINIAN THEODICY", "Cartesian dualism": a rare adjective is no first name ("Julian")
    return 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words) and \
        " " not in said and zipf(last) < QUIZ.surname_zipf and (said == last or one_typo_apart(last, said))


def names_by_part(expected: str, given: str, others: tuple[str, ...]) -> bool:
    """A name of two or three words said without its last or middle word ("geocentric" for "geocentric model",
    "negative balance" for "negative energy balance"; not "symbolism" for "disguised symbolism"), where the word
    left out is one English uses often (not "write" for "Write Quorum") and no other name of ``others`` (the
    section's) holds what is left: "cluster" does not name "open cluster" beside "globular cluster", nor
    "balance" "negative energy balance" beside "positive energy balance" (heldout23, heldout24)."""
    theirs = _tokens(without_remarks(expected))
    mine = _tokens(given)
    if not 2 <= len(theirs) <= 3 or len(mine) != len(theirs) - 1 or max(map(len, mine), default=0) < 5:
        return False
    kept = iter(theirs)
    if mine[0] != theirs[0] or not all(word in kept for word in mine) or any(w.isdigit() for w in mine):
        return False  # the words left are the name's own, in its order, from its first: "symbolism" is not
        # "disguised symbolism"
    if any(zipf(word) < QUIZ.generic_word_zipf for word in theirs if word not in mine):
        return False  # the word left out is a word of its own, not a common noun: "write" is not "write quorum"
    return not any(set(mine) <= set(_tokens(other)) and _tokens(other) != theirs for other in others)


def _shouted_word(text: str) -> bool:
    """A word the notes write in capitals that English knows as a word ("PELLAGRA", "GOITRE"): a slip in it is a
    slip (heldout24's "pelagra"), where a code takes none."""
    return len(text) >= QUIZ.shouted_min_letters and text.isalpha() and zipf(text.lower()) >= QUIZ.shouted_zipf


def _hyphen_prefixed(expected: str, given: str) -> bool:
    """The answer glues a word with a hyphen to the front of the name, which the notes do not: "half-diminished
    7th", "non-urgent fix", "semi-permeable" name other things (heldout22)."""
    first = expected.split()[0] if expected.split() else ""
    return len(first) >= 3 and re.search(rf"[A-Za-z]-{re.escape(first)}\b", given, re.I) is not None and \
        re.search(rf"[A-Za-z]-{re.escape(first)}\b", expected, re.I) is None


def _opposed(e: str, g: str) -> bool:
    """Names of opposite meaning ("symmetric key" / "asymmetric key"), compared word by word where they have
    as many words: "bite pair" is a slip of "byte pair", not its opposite."""
    words_e, words_g = e.split(), g.split()
    if len(words_e) == len(words_g):
        return any(prefixed_opposite(a, b) for a, b in zip(words_e, words_g, strict=True))
    return prefixed_opposite(e, g)


#: Words that relate what stands before them to what follows, one way only: "mood over topography" is not
#: "topography over mood", nor "Cezanne on Monet" "Monet on Cezanne" ("vs" and "and" go both ways).
_ONE_WAY = frozenset({"over", "on", "than", "before", "after", "to", "from", "into", "by", "against", "under",
                      "above", "below", "beats", "becomes"})


def _turned_round(e: str, g: str) -> bool:
    """``g`` says the words of ``e`` on either side of a one-way relation word the other way round."""
    theirs, mine = e.split(), g.split()
    for word in _ONE_WAY & set(theirs):
        if theirs.count(word) == mine.count(word) == 1:
            i, j = theirs.index(word), mine.index(word)
            before, after = set(theirs[:i]), set(theirs[i + 1:])
            if before and after and before != after and set(mine[:j]) == after and set(mine[j + 1:]) == before:
                return True
    return False


def _similarity(expected: str, given: str) -> float:
    e, g = norm(expected), norm(given)
    if not e or not g or _opposed(e, g) or _turned_round(e, g):
        return 0.0
    if same_duration(expected, given):
        return 1.0  # "60 seconds" for "1 minute"
    if (said := number_answer(expected, given)) is not None:
        return said
    if _last_name(expected, given):
        return 0.95  # "Karpathy" for "Andrej Karpathy"
    code = is_acronym(expected.strip())
    if code and _shouted_word(expected.strip()) and one_typo_apart(e, g):
        return 0.95  # a slip in a shouted word: "pelagra" for "PELLAGRA"
    if _same_tokens(expected, given, code):
        return 1.0 if _tokens(expected) == _tokens(given) else 0.95
    if _same_tokens(expected, given, code, any_order=True):
        return 0.95  # "gateway endpoint" for "endpoint gateway"
    if _same_tokens(*(_POSSESSIVE.sub("s", t) for t in (expected, given)), code):
        return 0.95  # "weins law" for "Wien's law": a possessive read as one word, "weins" one swap from "wiens"
    if _spells_codes(expected, given):
        return 0.95  # "somatic nervous system" for "somatic NS"
    if _initial_hyphenated(expected, given):
        return 0.95  # "H-bonding" for "hydrogen bonding"
    if re.search(r"\d", e) and g != e and g.replace("0", "o") == e.replace("0", "o"):
        return 0.95  # the letter O typed as a zero, or the reverse: "H20" for "H2O"
    if _digits(e) and _digits(e) != _digits(g)[:len(_digits(e))]:
        return 0.0  # numbers must be right: 503 is not 500
    if _digits(e) and g == " ".join(_digits(e)):
        return 1.0  # "90" for "90 days"
    if _hyphen_prefixed(expected, given):
        return 0.0  # "half-diminished 7th" is another chord than "diminished 7th"
    if e == g or re.search(rf"(?<!\S){re.escape(e)}(?!\S)", g) and len(g.split()) <= len(e.split()) + 3:
        return 1.0
    if expected.strip()[:1].isupper() and g.startswith(e + " ") and len(g.split()) <= len(e.split()) + 6:
        return 0.95  # a name said in full: "entores v miles far east (telex case)" for the notes' "Entores"
    if e.replace(" ", "") == g.replace(" ", "") or same_name(expected, given) or \
            (" " not in e and e in (_acronym(g), _initials_of_all(g)) and len(e) > 1) or \
            (" " not in g and g in (_acronym(e), _initials_of_all(e)) and len(g) > 1):
        return 1.0
    if " " not in e and len(g.split()) <= 3 and not code and any(one_typo_apart(e, w) for w in g.split()):
        return 0.95  # "Kafka" / "apache kafka" for the notes' "kakfa", "fargat" for "Fargate"
    if code and re.fullmatch(re.escape(e) + r"\d{1,2}", g):
        return 0.95  # a version number after the name: "boto3" for "BOTO"
    if code and (_letters_of(e, g) or re.fullmatch(r"[a-z]+(?:-[a-z]+)+", given.strip().lower())
                 and _letters_of(e, given.strip().lower().replace("-", ""))):  # "N-acetylcysteine" for NAC
        return 0.95  # a technical word the code takes its letters from: "erythropoietin" for "EPO"
    if len(e) <= 4 or code:  # "RS", "ACL", "JSONB": a near miss of a code is another code
        return 0.0
    words_e, words_g = _tokens(expected), _tokens(given)
    if len(words_e) == len(words_g) and _cut_short(words_e, words_g, given):
        return 0.95  # "unilat offers" for "unilateral offers", "prop. dualism" for "property dualism"
    if len(words_e) == len(words_g) >= 2 and any(len(a) == 1 and a.isalpha() and b[0] != a
                                                  for a, b in zip(words_e, words_g, strict=True)):
        return 0.0  # the notes' initial said as another name: "Dr Novak's method" for "Dr K's method"
    if len(words_e) == len(words_g) >= 2 and all(len(w) > 2 for w in words_e + words_g):
        # word for word: "elastic file adapter" is not "elastic fabric adapter"
        return min(fuzz.ratio(a, b) for a, b in zip(words_e, words_g, strict=True)) / 100
    return max(fuzz.ratio(e, g), fuzz.token_sort_ratio(e, g)) / 100


@functools.cache
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


_STEMMER = Stemmer.Stemmer("english")


def abbreviates(short: str, word: str) -> bool:
    """``short`` is a consonant abbreviation of ``word``: 3-5 letters, no vowel after the first, each in
    order in a word at least twice as long that starts with the same letter ("avg" average, "fwd" forward,
    "mgmt" management, "eqn" equation)."""
    return 3 <= len(short) <= 5 and len(word) >= 2 * len(short) and short.isalpha() and \
        not re.search(r"[aeiouy]", short[1:]) and letters_in_order(short, word)


def word_match(key: str, word: str) -> bool:
    """Same word up to a typo, an ending or an abbreviation ("encryption" ~ "encrypt", "comit" ~ "commit",
    the notes' "conv" ~ "convolutional", "fwd" ~ "forward" either way)."""
    if word == key or abbreviates(key, word) or abbreviates(word, key):
        return True
    if len(key) < 4 or len(word) < 3 or prefixed_opposite(key, word):
        return False
    if word.startswith(key) or _stem(key) == _stem(word):  # "conv" ~ "convolutional", "staging" ~ "stages"
        return True
    return fuzz.ratio(key, word) >= 80 or (len(key) >= 5 and len(word) >= 5 and key[:5] == word[:5])


#: Words that carry no fact of their own in a definition ("rather learning on structural data", "hp etc");
#: search keeps its own stop words, these only leave the quiz's key terms.
_NO_FACT = frozenset({"rather", "instead", "etc", "eg", "ie"})


#: "the case when X" says X: the frame carries no fact of its own.
_CASE_FRAME = re.compile(r"\b(?:the|a|in)\s(?:case|cases)\s(?=when\b|where\b|that\b|if\b)", re.I)


#: The logical operators AND and OR, written as names: in capitals ("AND, OR conditional checking") or joined
#: by a slash ("and/or logic"). They are key terms, where a plain "and" is a stop word.
_OPERATOR = re.compile(r"(?<![\w/])(AND|OR)(?![\w/])|(?<![\w/])(and|or)(?=/(?:and|or)\b)|(?<=\band/)(or)\b|(?<=\bor/)(and)\b")
_OPERATOR_NAME = {"and": "conjunction", "or": "disjunction"}


def _operators(text: str) -> str:
    if text.isupper():
        return text
    return _OPERATOR.sub(lambda m: " " + _OPERATOR_NAME[next(g for g in m.groups() if g).lower()] + " ", text)


def keys(text: str, ignore: str = "") -> list[str]:
    """The content words of ``text`` in order, less those of ``ignore`` (the term the question names); a
    logical operator written as a name ("AND", "and/or") is one."""
    skip = set(content_words(norm(ignore))) | _NO_FACT
    return [w for w in content_words(norm(_operators(_CASE_FRAME.sub(" ", text)))) if w not in skip]


def _denied_opposite(key: str, given: str) -> bool:
    """The answer says ``key`` by denying its opposite: "don't match" for "different", "not slow" for
    "fast"."""
    known = lexicon(key)
    return known is not None and any(c.negated and c.word == known[0] and c.polarity == known[1]
                                     for c in claims(given))


def share(wanted: list[str], words: list[str]) -> float:
    wanted = list(dict.fromkeys(wanted))
    return sum(any(word_match(k, w) for w in words) for k in wanted) / len(wanted) if wanted else 0.0


def pair_share(target: list[str], words: list[str]) -> float:
    """Share of the target's adjacent word pairs the answer also has in that order: "all column +
    specific row" and "all row + specific column" have the same words but not the same pairs."""
    pairs = list(zip(target, target[1:], strict=False))
    given = list(zip(words, words[1:], strict=False))
    if not pairs:
        return 0.0
    return sum(any(word_match(a, x) and word_match(b, y) for x, y in given) for a, b in pairs) / len(pairs)


def in_notes_terms(expected: str, given: str) -> str:
    """The answer with spelled-out forms of the expected answer's acronyms put back as the acronym."""
    return spell_out(given, acronyms_in(expected))


def coverage(expected: str, given: str, ignore: str = "") -> tuple[float, list[str]]:
    """Share of the expected answer's key terms the answer contains, and the ones it misses. Notes put the
    point first: the first clause (before " - ", ",", ";", ". ", a relative "that"/"which" or a reason
    "because"/"since") counts as the whole when it has two key
    terms or more."""
    expected = spell_out(expected, acronyms_in(given))  # "IaC" for the notes' "Infrastructure as Code"
    wanted = list(dict.fromkeys(keys(expected, ignore)))
    given = in_notes_terms(expected, given)
    if not wanted:
        return fuzz.token_set_ratio(norm(expected), norm(given)) / 100, []
    words = keys(given)
    missed = [k for k in wanted if not any(word_match(k, w) for w in words) and not _denied_opposite(k, given)]
    covered = 1 - len(missed) / len(wanted)
    first, *rest = re.split(r"\s-{1,3}\s|\s==+\s|[;,]|\.\s|\s(?:that|which|who|where|because|since)\s", expected,
                            maxsplit=1)
    if _parallel(expected):
        return covered, missed  # items of one list: the first is no gist, and their remarks are no detail
    gist = keys(first, ignore)
    if len(set(gist)) >= 2 and len(gist) < len(wanted) and not _list_tail(rest[0] if rest else "", ignore):
        covered = max(covered, share(gist, words))
    bare = keys(_REMARKS.sub("", expected), ignore)  # a bracketed remark is detail: "X (atrial repol hidden)"
    if len(set(bare)) >= 2 and len(bare) < len(wanted):
        covered = max(covered, share(bare, words))
    return covered, missed


_REMARKS = re.compile(r"\([^()]*+\)")


def _list_tail(rest: str, ignore: str) -> bool:
    """What follows the first clause is more items of a list (two or more parts of one key word each, a
    bracketed remark aside: "NH4+, NO3-, CH3COO- (acetate)"), so the first clause is an item, not the point."""
    parts = [p for p in re.split(r"[,;]", _REMARKS.sub("", rest)) if p.strip()]
    return len(parts) >= 2 and all(len(keys(p, ignore)) <= 1 for p in parts)


def _shape(text: str) -> tuple[str, ...]:
    """A clause's shape without its remarks: "C" per capitalised word, "N" per number or range, "w" per other
    word ("Old English ~450-1100 (Beowulf)" -> C C N)."""
    words = re.findall(r"[~≈]?\d[\d.,–-]*|[A-Za-z][\w'-]*", re.sub(r"\([^()]*\)?", " ", text))
    return tuple("N" if w.lstrip("~≈")[:1].isdigit() else "C" if w[0].isupper() else "w" for w in words)


def _parallel(text: str) -> bool:
    """The first two parts of ``text`` (split at commas and semicolons outside brackets) are items of one list
    of the same shape, a name and a number each ("Old English ~450-1100 (Beowulf, ...), Middle English
    1100-1500 (Chaucer)"): the first is an item, not the point."""
    parts = parts_outside_brackets(text)
    shape = _shape(parts[0])
    return len(parts) >= 2 and len(shape) >= 2 and shape == _shape(parts[1]) and "N" in shape and "C" in shape


def evidence(target: str, other: str, given: str, ignore: str) -> float:
    """How specifically the answer states ``target`` rather than ``other``: its words that ``other`` lacks,
    plus its word pairs in order."""
    target_keys, other_keys, words = keys(target, ignore), keys(other, ignore), keys(given)
    own = [k for k in target_keys if not any(word_match(k, o) for o in other_keys)]
    return share(own, words) + pair_share(target_keys, words)


_LETTER_MARK = re.compile(r"(?<![\w(])\(([a-h])\)\s*")


def _lettered(text: str) -> list[str]:
    """The items of a list the notes letter "(a) ..., (b) ..., (c) ...", after whatever leads into it
    ("every chain ends in (a) infinite regress, (b) circularity, (c) ..."), else []."""
    marks = list(_LETTER_MARK.finditer(text))
    if len(marks) < 2 or [m.group(1) for m in marks] != list("abcdefgh"[:len(marks)]):
        return []
    ends = [m.start() for m in marks[1:]] + [len(text)]
    items = [re.sub(r"[\s,;.]*(?:\b(?:and|or)\s*)?$", "", text[m.end():end]) for m, end in zip(marks, ends, strict=True)]
    return items if all(re.search(r"[A-Za-z]{2}", i) for i in items) else []


def enumeration(text: str, counted: bool = False) -> list[str]:
    """The items of a short enumeration, else []: three or more items of at most two words ("ok, insufficient
    data, alarm"), two joined by "&" ("Word2vec & GloVe") or two single words and a comma ("public, private"); any 2-8 short items when the question is counted
    ("Name the 4 types of budget"), where "+" joins items too; any list the notes letter "(a), (b), ..."; and
    a list of three or more that a sentence of comment follows. A remark in brackets belongs to its item and
    counts none of its words."""
    if lettered := _lettered(text):
        return lettered
    first, *more = re.split(r"(?<=[a-z]{2})\.\s+(?=\S)", text, maxsplit=1)
    if more and len(items := enumeration(first, counted)) >= 3:
        return items  # "loggia, round arches, Corinthian columns. Basically the 1st Ren. building"
    body = re.sub(r"(?:^|\s)\d{1,2}[.)](?!\S)", " ", text).strip(" .")  # "1. a 2) b", not "(B has 6)"
    remarks = _REMARKS.findall(body)  # "relay (connects sensory + motor, in CNS)" is one item
    # a counted list may join two items with "+": "ontological, cosmological + design" names 3 arguments
    separators = r"\s*[,;&]\s*|\s+and\s+" + (r"|\s+\+\s+" if counted else "")
    bare = [i.strip() for i in re.split(separators, _REMARKS.sub("\0", body)) if i.strip()]
    if remarks and body.endswith(remarks[-1]) and len(remarks[-1].split(",")) == len(bare) > 1:
        return []  # a remark that glosses each item: "Liberté, égalité, fraternité (liberty, equality, fraternity)"
    remarks = iter(remarks)
    items = [re.sub("\0", lambda _: next(remarks), i) for i in bare]
    if not 2 <= len(items) <= 8 or not all(re.search(r"[A-Za-z]{2}", i) and closed(i, "()[]") for i in items):
        return []  # a split inside brackets is a call's arguments, not items: runner.invoke(cli, ["info"])
    longest = max(len(i.replace("\0", "").split()) for i in bare)
    if counted and longest <= 3 or longest <= 2 and (len(items) >= 3 or "&" in body) or \
            longest == 1 and "," in body:  # "public, private"
        return items
    return []
