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

from lantern.core import phones

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
    """A phone number in E.164 (`+441134960123`) when it is a valid number (`lantern.core.phones`:
    valid by the phonenumbers library, or a complete Ofcom drama number); anything else (a
    partial number such as `07700 900`, words) is kept exactly as typed, trimmed, and flagged,
    so it is matched only exactly and never turned into a number it is not.
    """
    raw = (text or "").strip()
    number = phones.e164(raw, region)
    return Normalised(number) if number else Normalised(raw, ok=False)


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

# Latin letters that Unicode does not decompose into a base letter and an accent.
_LATIN_FOLDS = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ı": "i",
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "Ð": "d",
        "ħ": "h",
        "Ħ": "h",
    }
)


def name(text: str | None) -> str:
    """A name for comparison: lower case, accents removed, only letters, single spaces or hyphens.

    `  O'BRIEN ` -> `obrien`; `José` -> `jose`; `Mary-Jane` -> `mary-jane`; `Łukasz` ->
    `lukasz`; `Ștefan` -> `stefan`. Letters of other scripts are kept (case folded, marks
    removed), so a name written in Arabic or Cyrillic letters compares with itself however its
    marks were typed.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text.translate(_LATIN_FOLDS))
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    lowered = unicodedata.normalize("NFKD", bare.casefold().translate(_LATIN_FOLDS))
    kept = "".join(
        c
        for c in lowered
        if (c.isalpha() and not unicodedata.combining(c)) or c in "- " or c.isspace()
    )
    kept = re.sub(r"\s+", " ", kept)
    kept = re.sub(r"-+", "-", kept)
    return re.sub(r" ?- ?", "-", kept).strip(" -")


def exact_only_name(text: str | None) -> str | None:
    """A given name written only as initials, a single letter or punctuation (`J.`, `J K`,
    `?`) kept as written (trimmed, case folded), to be matched only exactly; None for a name.
    """
    written = " ".join((text or "").split()).casefold()
    if not written:
        return None
    words = name(re.sub(r"[^\w\s]|_|\d", " ", text or "")).replace("-", " ").split()
    if not words or all(len(w) == 1 for w in words):
        return written
    return None


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


# Faker locales whose first-name lists count as given names in their own right: English as
# written in the UK, Ireland, New Zealand and the US, South Asian names as written in English,
# and the Central and Eastern European communities a UK borough has.
RECOGNISED_NAME_LOCALES = (
    "en_GB",
    "en_US",
    "en_IE",
    "en_NZ",
    "en_IN",
    "en_PK",
    "pl_PL",
    "cs_CZ",
    "sk_SK",
    "hu_HU",
    "ro_RO",
)


def _recognised_given_names() -> frozenset[str]:
    # Given names Lantern recognises as names in their own right: the first-name lists of the
    # Faker package (a kept dependency) for `RECOGNISED_NAME_LOCALES`, and every name in the
    # variant files (`lantern.entities.variants`). A name outside these (an unknown
    # diminutive, a typing error such as Katherrine) is not known to be another person's name.
    import importlib

    written: set[str] = set()
    for locale in RECOGNISED_NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names_male", "first_names_female", "first_names"):
            names = getattr(provider, attr, ())
            written.update(names.keys() if isinstance(names, dict) else names)
    return frozenset(name(n) for n in written)


_FAKER_NAMES: frozenset[str] | None = None


def is_recognised_given_name(normalised: str | None) -> bool:
    """Is this normalised given name one Lantern knows as a name (`dean`, `kate`, `zoltan`),
    rather than an unknown diminutive or a typing error (`katherrine`)?"""
    global _FAKER_NAMES
    from lantern.entities import variants

    if _FAKER_NAMES is None:
        _FAKER_NAMES = _recognised_given_names()
    first = normalised.split(" ")[0] if normalised else ""
    return bool(first) and (first in _FAKER_NAMES or variants.current().knows(first))


def canonical_given_name(normalised: str) -> str:
    """The name standing for a normalised given name's variants (`kate` -> `katherine`,
    `kuba` -> `jakub`), else itself: used to block and index, not to decide variants (a name
    may belong to two groups; see `are_given_name_variants`)."""
    from lantern.entities import variants

    first = normalised.split(" ")[0] if normalised else ""
    return variants.current().canonical(first)


def are_given_name_variants(a: str | None, b: str | None) -> bool:
    """Are two normalised given names the same name written as a variant (in one group of the
    variant files, or learned from an analyst)? Sam and Samuel are; Samuel and Samantha not."""
    from lantern.entities import variants

    x = a.split(" ")[0] if a else ""
    y = b.split(" ")[0] if b else ""
    return bool(x) and bool(y) and variants.current().are_variants(x, y)


def given_name_groups(normalised: str | None) -> str:
    """The heads of the variant groups a given name belongs to, space separated and sorted
    (`sam` -> `sam samantha samuel`); for an unlisted name, those of the listed names one
    typing error away (`jesica` -> `jessica`); '' when none. Compared as lists in Splink."""
    from lantern.entities import variants

    first = normalised.split(" ")[0] if normalised else ""
    return " ".join(sorted(variants.current().groups_near(first)))


def metaphone_key(normalised: str | None) -> str:
    """A Metaphone key (jellyfish) of a normalised name, after the spellings Polish, Czech and
    English write for one sound are folded (w for v as in Nowak/Novak, mps for ms as in
    Thompson/Thomson, ph for f, double letters as one), so those variants share a key that
    Soundex gives apart."""
    import jellyfish

    letters = re.sub(r"[^a-z]", "", normalised or "")
    if not letters:
        return ""
    for written, sound in _SOUND_FOLDS:
        letters = letters.replace(written, sound)
    letters = re.sub(r"(.)\1+", r"\1", letters)
    return jellyfish.metaphone(letters)


_SOUND_FOLDS = (
    ("mps", "ms"),
    ("mpt", "mt"),
    ("ph", "f"),
    ("w", "v"),
    ("cz", "ch"),
    ("sz", "sh"),
    ("ck", "k"),
)


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
