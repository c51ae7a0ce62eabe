"""An acronym and its expansion are the same answer when the expansion's initials spell the acronym:
"Network Access Control List" is NACL, "Amazon Elastic Kubernetes Service" is EKS (a vendor word in front
may be left out), "Long Short-Term Memory" is LSTM, "CloudFormation" is CF."""

from __future__ import annotations

import itertools
import re

from quiz.spelling import compound_initials

#: Small words a name's initials leave out ("Treaty of Versailles" is TV, or ToV with them).
SMALL_WORDS = frozenset({"of", "for", "and", "the", "a", "an", "to", "in", "on", "by", "&", "de", "du", "von"})
#: Vendor words a product name may carry or leave out ("Amazon EventBridge", "EventBridge").
VENDORS = frozenset({"amazon", "aws", "apache", "google", "microsoft", "azure"})
_ACRONYM = re.compile(r"^[A-Za-z][A-Za-z0-9]{1,7}$")


#: English short forms no rule of letters finds: "Gare St-Lazare" for "Gare Saint-Lazare".
SHORT_FORMS = {"st": ("saint", "street"), "ste": ("sainte",), "mt": ("mount",), "ft": ("fort",)}


def _parts(text: str) -> list[str]:
    """Words split at spaces, hyphens and CamelCase humps; small words dropped."""
    words = re.findall(r"[A-Za-z0-9]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text))
    return [w for w in words if w.lower() not in SMALL_WORDS]


def initials(text: str) -> str:
    """First letters; a word in capitals gives all its letters ("network ACL" -> "nacl")."""
    return "".join(w if w.isupper() and len(w) > 1 else w[0] for w in _parts(text)).lower()


def letters_in_order(short: str, word: str) -> bool:
    """``word`` starts with ``short``'s first letter and holds its other letters in order ("avg" in "average",
    "tov" in "treatyofversailles")."""
    rest = iter(word[1:])
    return bool(short) and bool(word) and short[0] == word[0] and all(letter in rest for letter in short[1:])


def is_acronym(text: str) -> bool:
    """A short code written in capitals ("EKS", "NACL", "WD", "R-CNN" is not one)."""
    letters = text.strip().rstrip("s")
    return bool(_ACRONYM.match(letters)) and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def expands(acronym: str, text: str) -> bool:
    """``text`` spells out ``acronym`` (the notes' "EKS" and the answer's "Amazon Elastic Kubernetes Service")."""
    code = acronym.strip().lower()
    code = code[:-1] if code.endswith("s") and len(code) > 2 and not initials(text).endswith("s") else code
    parts = _parts(text)
    if len(parts) < 2 and not re.search(r"[a-z][A-Z]", text) or text.strip().lower() == code:
        return False
    spelled = initials(text)
    if spelled == code:
        return True
    trimmed = [w for i, w in enumerate(parts) if not (i == 0 and w.lower() in VENDORS)]
    if len(trimmed) >= 2 and initials(" ".join(trimmed)) == code:
        return True
    if not 2 <= len(trimmed) <= len(code) <= 8:
        return False
    # a compound written as one word gives both initials: "elastic mapreduce" is EMR
    options = [[w[0].lower(), *compound_initials(w.lower())] if w.islower() else [initials(w)] for w in trimmed]
    return any("".join(p) == code for p in itertools.product(*options))


def same_name(expected: str, given: str) -> bool:
    """An acronym on one side and its expansion on the other."""
    expected, given = expected.strip(), given.strip()
    return (is_acronym(expected) and expands(expected, given)) or (is_acronym(given) and expands(given, expected))


def spell_out(text: str, acronyms: list[str]) -> str:
    """``text`` with a run of words that spells one of ``acronyms`` replaced by the acronym, so an answer
    that spells out what the notes abbreviate is compared word for word."""
    words = text.split()
    for code in acronyms:
        size = len(code)
        for start in range(len(words)):
            for end in range(start + 2, min(len(words), start + size + 3) + 1):
                run = " ".join(words[start:end])
                if expands(code, run) and initials(run) == code.lower():
                    return spell_out(" ".join([*words[:start], code, *words[end:]]), acronyms)
    return text


#: Logical operators written in capitals ("AND, OR conditional checking") are names, not acronyms.
_OPERATORS = frozenset({"AND", "OR", "NOT", "XOR"})


def acronyms_in(text: str) -> list[str]:
    return [w for w in re.findall(r"\b[A-Za-z][A-Za-z0-9]{1,6}\b", text) if is_acronym(w) and w not in _OPERATORS]
