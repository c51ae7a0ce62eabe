"""The card defects of the heldout6 review, each on a made-up note: a general rule per defect (quiz/facts.py,
quiz/generate.py, quiz/cloze.py, quiz/spelling.py, quiz/quality.py, quiz/topics.py)."""

from __future__ import annotations

from ingest.model import Chunk
from quiz import generate_questions
from quiz.model import Question


def _quiz(text: str, source: str = "notes.txt") -> list[Question]:
    lines = text.split("\n")
    chunk = Chunk(source=source, start_line=1, end_line=len(lines), heading="", text=text)
    return generate_questions([chunk])


def _lines_asked(text: str) -> set[int]:
    """The lines of ``text`` that some question is asked from."""
    return {q.start_line for q in _quiz(text)}


def test_a_respelling_english_knows_worse_is_not_made() -> None:
    notes = "\n".join(["stack : written in yalm lang"] * 3 + ["", "CloudFormation : Infrastructure as Code, YAML lang here"])
    clozes = [q for q in _quiz(notes) if q.kind == "cloze" and q.start_line == 5]
    assert clozes and all(q.answer != "YALM" for q in clozes)


def test_words_in_urls_and_addresses_are_no_spelling() -> None:
    notes = ("Repository: https://github.com/jbranchaud/til holds notes by Josh Branchaud, who wrote them\n"
             "mail jbranchaud@example.com or https://jbranchaud.example.com/jbranchaud for questions")
    answers = [q.answer for q in _quiz(notes)]
    assert not [a for a in answers if "Jbranchaud" in a]


def test_a_bullet_header_owns_bullets_only_with_a_colon_arrow_or_count() -> None:
    notes = "$ Flow\n- 2 branches are there main, feature\n- automate test and deploy\n- release many times"
    assert not [q for q in _quiz(notes) if q.kind == "list" and "branches" in q.term]
    owned = "- Training has 2 components\n- AllReduce : sums gradients over GPUs\n- AllGather : shares state over nodes"
    assert [q.parts for q in _quiz(owned) if q.kind == "list"] == [("AllReduce", "AllGather")]


def test_an_arrow_between_two_names_is_a_pair() -> None:
    questions = _quiz("Analogies\n  - Man ==> Woman\n  - Boy ==> Girl\n", "notes.md")
    assert not [q for q in questions if q.question.endswith('What is "Man"?')]
    pair = [q for q in questions if q.kind == "definition" and q.term == "Man"]
    assert pair and "pair" in pair[0].question and pair[0].answer == "Woman"


def test_a_numeric_range_stays_whole() -> None:
    notes = "- Research papers have around 300 - 3000 hours of training data while products use far more of it."
    assert not [q for q in _quiz(notes) if q.kind != "cloze" and (q.term.endswith("300") or q.answer.startswith("3000"))]


def test_no_cards_from_code_blocks_or_shell_commands() -> None:
    notes = ("# Caching\n\nCache credentials for a while:\n\n```\nhelper = cache --timeout=300\nAuthor: Josh <j@x.io>\n```\n\n"
             "$ psql --set=sslmode=require \\\n    -h host.com \\\n    -U username \\\n")
    assert not [q for q in _quiz(notes, "notes.md") if q.start_line > 4]


def test_filler_capitals_are_not_blanked() -> None:
    notes = ("- The parser reads the whole file first. Furthermore, the Tokenizer splits each line into tokens.\n"
             "- Crucially the Lexer must see the Tokenizer output before Parsing begins at all.\n")
    answers = {q.answer for q in _quiz(notes) if q.kind == "cloze"}
    assert answers and not answers & {"Furthermore", "Crucially"}


def test_a_topic_bullet_heads_only_its_own_paragraph() -> None:
    notes = ("$ Storage\n- Glacier\narchive : cheap and slow storage\n\nEBS vol : block storage for EC2 instances\n")
    ebs = [q for q in _quiz(notes) if q.term == "EBS vol"]
    assert ebs and all(q.topic != "Glacier" for q in ebs)


def test_glued_words_are_read_as_two() -> None:
    notes = "- Shield advanced protects against sophisticated DDoS attacks onAmazon EC2 and other services"
    assert not [q for q in _quiz(notes) if q.kind == "cloze" and q.answer == "onAmazon"]


def test_duplicate_lists_and_cards_are_asked_once() -> None:
    notes = ("- High variance example:\n  - Training error: 1%\n  - Dev error: 11%\n"
             "- High bias example:\n  - Training error: 15%\n  - Dev error: 14%\n")
    lists = [q for q in _quiz(notes, "notes.md") if q.kind == "list"]
    assert len(lists) == 1
    keys = [(q.kind, q.term, q.answer) for q in _quiz(notes, "notes.md")]
    assert len(keys) == len(set(keys))


def test_definitions_cut_mid_expression_or_sentence_are_dropped() -> None:
    notes = ("Some intro line that is a paragraph.\n\n"
             "- Tuning the learning rate (which is an example of a \"hyperparameter\") can matter a lot.\n"
             "- dW = Y_hat * (1 - Y_hat) for the sigmoid unit\n\n"
             "Excluding (read: ignoring) files that should not be tracked is generally\n"
             "done with a gitignore file in the repository.\n")
    terms = {q.term for q in _quiz(notes, "notes.md")}
    assert not {t for t in terms if t.count("(") != t.count(")")}, terms


def test_an_answer_that_points_back_and_a_blank_in_a_link_text_are_not_asked() -> None:
    notes = ("- queue autoscaling : scale it\n- dead letter queue : holds the messages that failed every retry\n\n"
             "For the whole story of the Kubernetes rollout, read [A Detailed Tour Of Rolling Deployments\n"
             "In Production](https://example.com/tour) which the Kubernetes maintainers wrote for operators.\n")
    cards = _quiz(notes, "notes.md")
    assert not [q for q in cards if "scale it" in (q.answer, *q.choices) or "scale it" in q.question]
    assert [q for q in cards if q.term == "dead letter queue"]  # a named answer is still asked
    assert not [q for q in cards if q.kind == "cloze" and q.start_line == 4 and "[" in q.question]


# --- the card defects of the heldout14 review (a student's chemistry notes), each on a made-up note ----------

def test_an_equation_both_ways_is_no_definition_and_a_charge_stays_on_its_ion() -> None:
    notes = "- 2NO2 <=> N2O4 at low T\n- self-ionisation: 2NH3 <=> NH4+ + NH2-\n"
    cards = _quiz(notes)
    assert not [q for q in cards if q.term.endswith("<")]  # not "What is '2NO2 <'?"
    assert [q.answer for q in cards if q.kind == "definition" and q.term == "self-ionisation"] == ["2NH3 <=> NH4+ + NH2-"]


def test_a_decimal_is_no_item_number_and_a_value_is_no_term() -> None:
    notes = "- 0.693 = k t1/2 for a first-order decay\n- 25.0 mL of the acid was titrated with base\n"
    cards = _quiz(notes)
    assert not [q for q in cards if q.term in ("693", "0.693")]  # not cut at "0." and not a number as a term
    assert not [q for q in cards if q.question.lstrip().startswith(("0 mL", "Fill in the blank: \"0 mL"))]


def test_a_worked_step_is_no_card_and_a_line_of_pairs_asks_its_first_pair_alone() -> None:
    notes = ("- NaCl = 22.99 + 35.45 = 58.44 g/mol\n- arteries = away from the heart, veins = back to it\n"
             "- max file size = 5 TB\n")
    cards = {(q.term, q.answer) for q in _quiz(notes) if q.kind == "definition"}
    assert not [t for t, _ in cards if t == "NaCl"]
    assert ("arteries", "away from the heart") in cards  # the next pair is not in the answer
    assert ("max file size", "5 TB") in cards  # one "=" that gives a value is a fact


def test_a_note_to_self_line_is_never_asked() -> None:
    notes = ("- TODO: redo the practice set on VSEPR shapes before the midterm\n"
             "- check this: the table lists Pauling electronegativity 3.16 for chlorine\n"
             "- VSEPR : predicts molecular shapes from electron pairs around the central atom\n"
             "- redo log : records every change before it is applied to the data files\n")
    assert _lines_asked(notes) & {1, 2, 3, 4} == {3, 4}  # "redo log : ..." is a fact


def test_setext_headings_of_plain_notes_are_headings_and_their_underlines_head_nothing() -> None:
    notes = ("GAS LAWS - UNIT 3 NOTES\n=======================\n\nIDEAL GASES\n-----------\n"
             "- Boyle's law : P1V1 = P2V2 at constant T\n- Charles's law : V/T constant at constant P\n")
    cards = _quiz(notes)
    assert cards and {q.heading for q in cards} == {"GAS LAWS > IDEAL GASES"}
    assert not [q for q in cards if q.start_line == 1]  # a title line is no "What is 'GAS LAWS'?"


def test_a_label_an_example_or_a_step_of_a_chain_is_no_term() -> None:
    notes = ("- mnemonic (mine): \"zero is plain, one is ln, two is flip\" for the integrated rate laws\n"
             "- e.g. Na : loses one electron to reach the neon configuration\n"
             "- demand up -> short run: higher output and higher prices\n"
             "- half-life : the time for half of a first-order reactant to be used up\n")
    cards = _quiz(notes)
    asked = {q.term for q in cards if q.kind in ("definition", "term", "mcq", "tf")}
    assert not [t for t in asked if "mnemonic" in t or t.startswith("e.g") or "->" in t]
    assert "half-life" in asked  # a name beside them is still asked


def test_a_number_of_the_course_itself_is_no_blank() -> None:
    notes = ("- kinetics: wk 12 lectures cover the rate laws and the Arrhenius equation for the exam\n"
             "- the Haber process runs at about 450 degrees and 200 atmospheres over an iron catalyst\n")
    gaps = [q.answer for q in _quiz(notes) if q.kind == "cloze"]
    assert "12" not in gaps and "450" in gaps  # a number of the subject is still asked


def test_bold_text_is_asked_as_the_reader_sees_it_and_quoted_as_the_notes_write_it() -> None:
    notes = ("## Acceptance\n"
             "- **Adams v Lindsell (1818)** KB : an acceptance by post binds once the letter is posted\n"
             "- **Consistency** - every read receives the most recent write or an error\n"
             "- the **postal rule** makes an acceptance binding once the letter is posted, not when received\n"
             "- a square is x**2 and a cube x ** 3, written `y**2` in code\n")
    cards = _quiz(notes, "law.md")
    shown = [text for q in cards for text in (q.question, q.answer, q.term, *q.choices, *q.siblings)]
    assert cards and not [text for text in shown if "**" in text.replace("x**2", "").replace("x ** 3", "")
                          .replace("`y**2`", "")]
    terms = {q.term for q in cards if q.kind == "definition"}
    assert {"Adams v Lindsell (1818) KB", "Consistency"} <= terms  # bold terms were read as code before
    for q in cards:  # the quote and the evidence keep the notes' own characters
        assert all(snippet in q.quote for snippet in q.evidence if q.kind != "tf")


def test_an_analogy_is_no_definition() -> None:
    notes = ("# Word embeddings\n- Man : Computer_programmer as Woman : **Homemaker**\n"
             "- Father : Doctor as Mother : Nurse\n- word2vec : learns embeddings by predicting context words\n")
    terms = {q.term for q in _quiz(notes, "nlp.md") if q.kind in ("definition", "term", "mcq", "tf")}
    assert "Man" not in terms and "Father" not in terms and "word2vec" in terms


def test_a_case_citations_year_is_no_blank() -> None:
    notes = ("- offer to the world: **Carlill v Carbolic Smoke Ball Co (1893)** CA - an advert can be an offer\n"
             "- frustration: Vitol v Norelf (The Santa Clara) (1996) HL - acceptance of repudiation by conduct\n"
             "- the Treaty of Versailles (1919) imposed reparations of 132 billion gold marks on Germany\n")
    gaps = [q.answer for q in _quiz(notes, "law.md") if q.kind == "cloze"]
    assert "1893" not in gaps and "1996" not in gaps
    assert "1919" in gaps  # a year that is the fact itself is still asked


def test_a_link_in_a_card_reads_as_its_text() -> None:
    notes = ("## Relational databases\n"
             "* **Profile** - Enable tools such as the [slow query log](http://dev.mysql.com/slow-query-log.html) "
             "to help track performance issues.\n"
             "* **Benchmark** - Simulate high-load situations with tools such as [ab](http://httpd.apache.org/ab).\n")
    shown = [text for q in _quiz(notes, "sql.md") for text in (q.question, q.answer, *q.choices, *q.siblings)]
    assert shown and not [text for text in shown if "](" in text or "[slow" in text]
    assert any("slow query log" in text for text in shown)


def test_a_term_answered_by_a_bare_case_asks_for_the_case() -> None:
    notes = ("## Performance\n"
             "- substantial performance : Hoenig v Isaacs (1952) CA\n"
             "- entire obligations : Cutter v Powell (1795) - sailor died mid-voyage, widow got nothing\n"
             "- revocation : must reach the offeree before acceptance -> Byrne v Van Tienhoven (1880)\n")
    asked = {q.term: q.question for q in _quiz(notes, "contract.md") if q.kind == "definition"}
    assert asked["substantial performance"].endswith('Which case do the notes give for "substantial performance"?')
    assert "Which case" not in asked["entire obligations"] + asked["revocation"]  # they say what it decided


def test_a_long_definition_is_never_cut_inside_a_bracket() -> None:
    """A clause break inside a bracket's aside is no place to end an answer: "speech production (Broca 1861"
    left a bracket open, and "(e.g" cut an abbreviation."""
    notes = ("- Broca's area: left frontal lobe, speech production (Broca 1861, patient \"Tan\" could only say \"tan\") -> "
             "Broca's aphasia = slow, effortful speech but comprehension ok\n"
             "- Ebbinghaus: tested himself on nonsense syllables (e.g. DAX), forgetting curve -> most forgetting "
             "happens soon after learning then levels off")
    answers = {q.term: q.answer for q in _quiz(notes, "notes.md") if q.kind == "definition"}
    assert answers["Broca's area"] == "left frontal lobe, speech production"
    assert answers["Ebbinghaus"] == "tested himself on nonsense syllables (e.g. DAX)"


# --- the card defects of the heldout16 review (a student's philosophy notes), each on a made-up note ----------

def test_course_admin_lines_are_never_asked() -> None:
    notes = ("- Lab report 2 due Weds wk 9, 5pm, on Moodle - 2000 words max\n"
             "- Office hours: Dr Patel, Mon 2-3pm, room 4.12\n"
             "- the catalyst is due to be replaced after 300 hours of use at high temperature\n"
             "- Le Chatelier's principle : a system at equilibrium shifts to oppose a change\n")
    assert _lines_asked(notes) & {1, 2, 3, 4} == {3, 4}  # "due to" with no day or time is no deadline


def test_a_reply_or_an_objection_label_is_no_term_but_a_named_one_is() -> None:
    notes = ("- obj: the theory cannot explain why the sky looks blue at noon and red at dusk\n"
             "- replies: scattering depends on wavelength; the path through air is longer at dusk\n"
             "- key idea: light of short wavelength scatters more than light of long wavelength\n"
             "- obj (TWILIGHT objection): the sky is still lit after the sun sets below the horizon\n")
    asked = {q.term for q in _quiz(notes) if q.kind in ("definition", "term", "mcq", "tf")}
    assert not asked & {"obj", "replies", "key idea"}
    assert "obj (TWILIGHT objection)" in asked  # the remark names the objection


def test_a_last_sentence_that_only_opens_the_next_lines_is_not_asked() -> None:
    notes = "- RSA = public-key cryptosystem. A message is secure iff:\n- PFS = perfect forward secrecy\n"
    defined = {q.term: q.answer for q in _quiz(notes) if q.kind == "definition"}
    assert defined.get("RSA") == "public-key cryptosystem"


# --- the card defects of the heldout17 review (a student's art history notes), each on a made-up note ---------

def test_the_course_code_weights_and_website_are_never_asked() -> None:
    notes = ("HIST 210 - WEEKS 3-4\n"
             "- Lab participation = 15%, report 25%, exam 60%\n"
             "- slides = all 40 maps, on Moodle before each class\n"
             "- the Treaty of Utrecht (1713) ends the War of the Spanish Succession\n")
    assert _lines_asked(notes) & {1, 2, 3, 4} == {4}


def test_a_blank_never_cuts_a_word_at_its_apostrophe_but_may_stand_before_a_possessive() -> None:
    notes = ("- \"the map is not the territory\" → often misattributed, DON'T cite it as Korzybski's own words\n"
             "- the Treaty of Utrecht gave Gibraltar to Britain and ended Louis XIV's hopes of a union of crowns\n")
    clozes = [q for q in _quiz(notes) if q.kind == "cloze"]
    assert not [q for q in clozes if "_____'T" in q.question]
    assert [q for q in clozes if q.start_line == 2]  # "Louis XIV's" is a possessive, not a cut word


def test_a_share_due_to_a_cause_is_no_course_admin() -> None:
    cards = _quiz("- Then errors due to mislabelled data: 0.6% of the dev set, so not worth fixing first\n")
    assert cards  # "due to" names a cause: the line is a fact
    assert not [q for q in _quiz("- report 2 due Fri, worth 25%\n")]


# --- the card defects of the heldout21 and heldout22 reviews (microbiology, music theory), on made-up notes ---

def test_a_once_swapped_acronym_is_never_respelt_into_an_everyday_word() -> None:
    shouting = "\n".join(["- rods AND cocci are both found here, ALL of them aerobic"] * 4)
    notes = f"{shouting}\n- fermentation: glycolysis only, then pyruvate → lactate to regenerate NAD+ for the cell\n"
    gaps = [q.answer for q in _quiz(notes) if q.kind == "cloze" and q.start_line == 5]
    assert "NAD" in gaps and "AND" not in gaps  # the notes shout AND, but NAD+ is no slip of it (the shipped
    # notes' "MKS", asked as "KMS", is test_quiz_grading_table's)


def test_admin_lines_and_labels_of_practicals_rooms_and_office_hours_are_never_asked() -> None:
    notes = ("- Admin: Practical 3 (streak plates) Tues 14 Nov, 2-5pm, Lab C.101\n"
             "- office hrs Dr Okafor: Weds 11am, Rm 3.02 Biology Bldg\n"
             "- Key: ★ = will come up, (?) = check textbook\n"
             "- listening test = name the form of 5 short extracts, Fri 9am, Room G12\n"
             "- tonic : the first degree of a major or minor scale, its home note\n")
    assert _lines_asked(notes) & {1, 2, 3, 4, 5} == {5}


def test_a_bullet_header_lists_only_the_bullets_under_it() -> None:
    notes = ("- phases:\n  - prophase - chromosomes condense\n  - metaphase - line up at the middle\n"
             "  - anaphase - sisters pulled apart\n- spindle - microtubules that pull the chromosomes\n"
             "- centrosome - organises the spindle\n")
    lists = [q.parts for q in _quiz(notes) if q.kind == "list"]
    assert lists == [("prophase", "metaphase", "anaphase")]  # not the spindle and centrosome after them


def test_a_line_the_notes_mark_not_examinable_is_never_asked() -> None:
    notes = ("- magnetosomes - iron oxide crystals in some aquatic bacteria (not examinable)\n"
             "- figured bass realisation = not examinable this yr (moved to 2nd yr module)\n"
             "- endospore - dormant, tough structure that survives boiling and drying\n")
    assert _lines_asked(notes) == {3}


def test_a_comparison_is_never_asked_as_a_term_to_recall() -> None:
    cards = _quiz("- mitosis vs meiosis : 2 identical cells vs 4 different cells, 1 division vs 2\n")
    kinds = {q.kind for q in cards}
    assert "term" not in kinds and "definition" in kinds


def test_a_definition_is_never_cut_at_a_minus_before_a_number() -> None:
    notes = ("- LRNI - lower reference nutrient intake: mean - 2 SD, so enough for only 2.5% of people; "
             "habitual intake below this is probably inadequate for almost everyone\n")
    defined = {q.term: q.answer for q in _quiz(notes) if q.kind == "definition"}
    assert defined["LRNI"].startswith("lower reference nutrient intake: mean - 2 SD")
