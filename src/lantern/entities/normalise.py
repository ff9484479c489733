"""Normalisers: the one way every identifier and name is cleaned before matching.

Live resolution, the batch dedupe command and the Splink model all call these, so a value is
compared in the same form wherever it came from. A value that cannot be normalised is kept as
written and flagged (`Normalised.ok` is False): it is then matched only exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import phonenumbers

DEFAULT_REGION = "GB"


@dataclass(frozen=True)
class Normalised:
    """A cleaned value; `ok` is False when it could not be normalised and is kept as written."""

    value: str
    ok: bool = True


# --- Identifiers ----------------------------------------------------------------------------

_REG_ALLOWED = re.compile(r"^[A-Z0-9?]{2,8}$")


def registration(text: str) -> Normalised:
    """A vehicle registration: upper case, no spaces or dashes; `?` stands for an unread character.

    `yx12 a?c` becomes `YX12A?C`. Anything else than letters, digits and `?` (or longer than a
    plate can be) is kept as written and flagged.
    """
    cleaned = re.sub(r"[\s\-]", "", (text or "").upper())
    cleaned = cleaned.replace("*", "?").replace("_", "?")
    if not _REG_ALLOWED.match(cleaned):
        return Normalised((text or "").strip(), ok=False)
    return Normalised(cleaned)


def is_partial_registration(value: str) -> bool:
    return "?" in value


def registration_matches(partial: str, full: str) -> bool:
    """Does a partial plate (`?` for any one character) fit a full normalised plate?"""
    if len(partial) != len(full):
        return False
    return all(p == "?" or p == f for p, f in zip(partial, full, strict=True))


def phone(text: str, region: str = DEFAULT_REGION) -> Normalised:
    """A phone number in E.164 (`+447700900123`); kept as written and flagged if not a number."""
    raw = (text or "").strip()
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return Normalised(raw, ok=False)
    if not phonenumbers.is_possible_number(parsed):
        return Normalised(raw, ok=False)
    return Normalised(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(text: str) -> Normalised:
    """An email address in lower case without surrounding spaces; flagged if not an address."""
    cleaned = (text or "").strip().lower()
    return Normalised(cleaned, ok=bool(_EMAIL.match(cleaned)))


# UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def postcode(text: str) -> Normalised:
    """A UK postcode as `OUTWARD INWARD` in capitals (`nm1 4ab` -> `NM1 4AB`); else flagged."""
    compact = re.sub(r"\s", "", (text or "").upper())
    match = _POSTCODE.match(compact)
    if not match:
        return Normalised(compact or (text or "").strip(), ok=False)
    return Normalised(f"{match.group(1)} {match.group(2)}")


def postcode_outward(value: str) -> str:
    """The outward code of a normalised postcode (`NM1 4AB` -> `NM1`); '' if there is none."""
    return value.split(" ")[0] if " " in value else ""


def handle(text: str) -> Normalised:
    """An online handle without its leading @, in lower case (platforms ignore case)."""
    cleaned = (text or "").strip().lstrip("@").lower()
    return Normalised(cleaned, ok=bool(re.match(r"^[a-z0-9_.]{2,40}$", cleaned)))


# --- Names ----------------------------------------------------------------------------------

# Common English short forms and nicknames, mapped to one canonical given name. A modest
# table written for Lantern: a name missing here still matches by its phonetic key.
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "jonathan": ("jon", "jonny", "johnny", "jonty"),
    "john": ("jack", "johnnie"),
    "william": ("will", "bill", "billy", "willy", "liam"),
    "robert": ("rob", "bob", "bobby", "robbie", "bert"),
    "richard": ("rich", "rick", "ricky", "dick", "richie"),
    "michael": ("mike", "mick", "mickey", "micky", "mikey"),
    "christopher": ("chris", "kit", "topher"),
    "matthew": ("matt", "matty"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey", "davy"),
    "thomas": ("tom", "tommy"),
    "james": ("jim", "jimmy", "jamie"),
    "joseph": ("joe", "joey"),
    "anthony": ("tony", "ant"),
    "edward": ("ed", "eddie", "ted", "teddy", "ned"),
    "benjamin": ("ben", "benny", "benji"),
    "samuel": ("sam", "sammy"),
    "alexander": ("alex", "al", "xander", "sandy"),
    "nicholas": ("nick", "nicky", "nico"),
    "andrew": ("andy", "drew"),
    "stephen": ("steve", "stevie", "steven"),
    "charles": ("charlie", "chas", "chuck"),
    "henry": ("harry", "hal", "hank"),
    "peter": ("pete",),
    "patrick": ("pat", "paddy"),
    "timothy": ("tim", "timmy"),
    "kenneth": ("ken", "kenny"),
    "raymond": ("ray",),
    "ronald": ("ron", "ronnie"),
    "frederick": ("fred", "freddie", "freddy"),
    "gregory": ("greg",),
    "jacob": ("jake",),
    "joshua": ("josh",),
    "nathan": ("nate",),
    "nathaniel": ("nat",),
    "zachary": ("zach", "zack"),
    "oliver": ("ollie", "olly"),
    "callum": ("cal",),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby"),
    "margaret": ("maggie", "meg", "peggy", "margo"),
    "catherine": ("cathy", "kate", "katie", "kat", "kathryn", "katherine", "kathy"),
    "jennifer": ("jen", "jenny"),
    "jessica": ("jess", "jessie"),
    "rebecca": ("becky", "becca"),
    "victoria": ("vicky", "tori", "vicki"),
    "samantha": ("sam", "sammie"),
    "alexandra": ("lexi", "alexa", "sasha"),
    "abigail": ("abi", "abby", "gail"),
    "charlotte": ("lottie", "charlie"),
    "amelia": ("millie", "mia"),
    "eleanor": ("ellie", "nell", "nora"),
    "natalie": ("nat",),
    "deborah": ("deb", "debbie"),
    "susan": ("sue", "suzy"),
    "patricia": ("trish", "patsy", "tricia"),
    "christine": ("chris", "chrissie", "tina"),
    "olivia": ("liv", "livvy"),
    "sophie": ("sophia",),
    "hannah": ("hanna",),
    "isabella": ("bella", "izzy", "isabel", "isobel"),
    "danielle": ("dani",),
    "stephanie": ("steph",),
    "georgina": ("georgie", "gina"),
    "mohammed": ("mo", "moe"),
}
# A short form shared by two names (sam, chris, charlie) is left to the name with the first
# entry; the phonetic key and the other fields still tell such people apart.
_CANONICAL: dict[str, str] = {}
for _full, _shorts in _NICKNAMES.items():
    _CANONICAL.setdefault(_full, _full)
    for _short in _shorts:
        _CANONICAL.setdefault(_short, _full)


def name(text: str | None) -> str:
    """A name for comparison: lower case, accents removed, only letters, single spaces or hyphens.

    `  O'BRIEN ` -> `obrien`; `José` -> `jose`; `Mary-Jane` -> `mary-jane`.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    lowered = ascii_only.lower()
    kept = re.sub(r"[^a-z\- ]", "", lowered)
    return re.sub(r"\s+", " ", kept).strip(" -")


def address(text: str | None) -> str:
    """An address for comparison: lower case, accents removed, words of letters and digits
    separated by single spaces. House and flat numbers are kept, so "same address" means the
    same door, not the same street.

    `Flat 3, 12A Mill Road.` -> `flat 3 12a mill road`; `12 Mill Road` and `14 Mill Road` differ.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    # A letter written after its number with a space or dash (12 A, 12-a) is the number's.
    spaced = " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_only).split())
    return re.sub(r"(?<![a-z0-9])(\d+) ([a-z])(?![a-z0-9])", r"\1\2", spaced)


def _recognised_given_names() -> frozenset[str]:
    # Given names Lantern recognises as names in their own right: the English (GB and US)
    # first-name lists of the Faker package (a kept dependency), and every name in the
    # nickname table above. A name outside these (a diminutive such as Imy or Zoli, a typing
    # error such as Katherrine) is not known to be another person's name.
    from faker.providers.person.en_GB import Provider as GB
    from faker.providers.person.en_US import Provider as US

    written = [
        n
        for provider in (GB, US)
        for attr in ("first_names_male", "first_names_female")
        for n in getattr(provider, attr, ())
    ]
    return frozenset(name(n) for n in written) | frozenset(_CANONICAL)


_RECOGNISED: frozenset[str] | None = None


def is_recognised_given_name(normalised: str | None) -> bool:
    """Is this normalised given name one Lantern knows as a name (`dean`, `kate`), rather
    than an unknown diminutive or a typing error (`imy`, `katherrine`)?"""
    global _RECOGNISED
    if _RECOGNISED is None:
        _RECOGNISED = _recognised_given_names()
    first = normalised.split(" ")[0] if normalised else ""
    return first in _RECOGNISED


def canonical_given_name(normalised: str) -> str:
    """The canonical form of a normalised given name (`jonny` -> `jonathan`), else itself."""
    first = normalised.split(" ")[0] if normalised else ""
    return _CANONICAL.get(first, first)


def phonetic_key(normalised: str) -> str:
    """A Soundex-style phonetic key of a normalised name, so spelling variants share it.

    Mohammed, Muhammad and Mohamed all give `M530`. Written here rather than taken from a
    library so that the key is identical in the database, in Python and in the model.
    """
    letters = re.sub(r"[^a-z]", "", normalised or "")
    if not letters:
        return ""
    codes = {
        **dict.fromkeys("bfpv", "1"),
        **dict.fromkeys("cgjkqsxz", "2"),
        **dict.fromkeys("dt", "3"),
        "l": "4",
        **dict.fromkeys("mn", "5"),
        "r": "6",
    }
    key = letters[0].upper()
    previous = codes.get(letters[0], "")
    for char in letters[1:]:
        code = codes.get(char, "")
        if code and code != previous:
            key += code
        if char not in "hw":  # h and w do not separate letters with the same code
            previous = code
        if len(key) == 4:
            break
    return key.ljust(4, "0")


def levenshtein(a: str, b: str) -> int:
    """Edit distance between two strings, as DuckDB's `levenshtein` computes it."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def damerau_levenshtein_at_most_one(a: str, b: str) -> bool:
    """Are the strings equal or one edit apart, counting two neighbouring letters swapped as one
    edit (DuckDB's `damerau_levenshtein(a, b) <= 1`)?"""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and (a[diff[1]] == b[diff[0]])
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


# --- Dates of birth and ages ----------------------------------------------------------------


def date_of_birth(text: str | None) -> date | None:
    """An ISO date (`2009-04-17`); None when empty. Raises ValueError for anything else."""
    if text is None or not str(text).strip():
        return None
    return date.fromisoformat(str(text).strip())


def swapped_day_month(dob: date) -> date | None:
    """The date with day and month swapped (2009-04-11 -> 2009-11-04); None if impossible."""
    if dob.day > 12 or dob.day == dob.month:
        return None
    return date(dob.year, dob.day, dob.month)


def birth_year_range(
    *, dob: date | None = None, age: int | None = None, on: date | None = None, margin: int = 2
) -> tuple[int, int] | None:
    """The years a person could have been born in: one year for a known date of birth, or the
    range an estimated age on a given day allows (a partner's estimate may be `margin` years out).
    """
    if dob is not None:
        return (dob.year, dob.year)
    if age is None or on is None:
        return None
    latest = on.year - age
    return (latest - 1 - margin, latest + margin)
