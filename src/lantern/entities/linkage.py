"""The people-matching model: one definition, run by Splink in batches and by Python live.

Each comparison level is written twice, side by side: as the SQL condition Splink evaluates
on DuckDB (or Spark) and as a Python predicate over the same prepared record. Live resolution
of one mention scores a handful of candidates with the trained m and u probabilities in
Python instead of starting a Splink run; a test checks the two give the same probabilities.

A prepared record (`prepare_person`) carries the normalised fields the levels compare:
first_name, surname, first_canon (the name standing for its variants, for blocking),
first_groups (the variant groups the given name is in, space separated: two given names are
variants when their groups overlap), first_exact (a given name written only as initials or
punctuation, kept as written and matched only exactly; first_name is then None), first_key
and surname_key (Soundex), first_meta and surname_meta (Metaphone), dob and dob_swap (ISO
text), by_lo and by_hi (possible birth years), postcode, outward, gender, phone and address.
Missing values are None.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from lantern.entities import normalise as norm

Record = dict[str, Any]

PERSON_COLUMNS = (
    "unique_id",
    "first_name",
    "surname",
    "first_canon",
    "first_groups",
    "first_exact",
    "first_key",
    "surname_key",
    "first_meta",
    "surname_meta",
    "dob",
    "dob_swap",
    "by_lo",
    "by_hi",
    "postcode",
    "outward",
    "gender",
    "phone",
    "address",
)


def prepare_person(
    unique_id: Any,
    *,
    first_name: str = "",
    surname: str = "",
    dob: date | None = None,
    age: int | None = None,
    age_on: date | None = None,
    gender: str = "",
    postcode: str = "",
    phone: str = "",
    address: str = "",
) -> Record:
    """The record the model compares, built from what a partner wrote, through the normalisers."""
    exact = norm.exact_only_name(first_name)
    first = None if exact else (norm.name(first_name) or None)
    last = norm.name(surname) or None
    years = norm.birth_year_range(dob=dob, age=age, on=age_on)
    swapped = norm.swapped_day_month(dob) if dob else None
    code = norm.postcode(postcode).value if postcode else ""
    number = norm.phone(phone).value if phone and phone.strip() else ""
    sex = (gender or "").strip().lower()[:1]
    return {
        "unique_id": unique_id,
        "first_name": first,
        "surname": last,
        **name_keys(first, last),
        "first_exact": exact,
        "dob": dob.isoformat() if dob else None,
        "dob_swap": swapped.isoformat() if swapped else None,
        "by_lo": years[0] if years else None,
        "by_hi": years[1] if years else None,
        "postcode": code or None,
        "outward": norm.postcode_outward(code) or None,
        "gender": sex if sex in ("f", "m") else None,
        "phone": number or None,
        "address": norm.address(address) or None,
    }


def name_keys(first: str | None, last: str | None) -> Record:
    """The fields computed from normalised names: canonical, variant groups, phonetic keys.
    Recomputed when a stored person is scored, so learned variants count at once."""
    return {
        "first_canon": norm.canonical_given_name(first) if first else None,
        "first_groups": (norm.given_name_groups(first) or None) if first else None,
        "first_key": norm.phonetic_key(first) if first else None,
        "surname_key": norm.phonetic_key(last) if last else None,
        "first_meta": (norm.metaphone_key(first) or None) if first else None,
        "surname_meta": (norm.metaphone_key(last) or None) if last else None,
    }


# --- The comparisons ------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    label: str
    sql: str
    test: Callable[[Record, Record], bool]
    m: float  # prior m probability, before training
    is_null: bool = False
    # Evidence that two records are different people however much else agrees (twins share
    # a surname, address, phone and date of birth): such a pair is never linked
    # automatically, only suggested to an analyst.
    vetoes_link: bool = False
    # When set, the level vetoes only pairs for which this also holds.
    veto_only_if: Callable[[Record, Record], bool] | None = None

    def vetoes(self, left: Record, right: Record) -> bool:
        return self.vetoes_link and (self.veto_only_if is None or self.veto_only_if(left, right))


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]


def _eq(field: str) -> Callable[[Record, Record], bool]:
    return lambda a, b: a[field] is not None and a[field] == b[field]


def _null(*fields: str) -> Callable[[Record, Record], bool]:
    return lambda a, b: any(a[f] is None or b[f] is None for f in fields)


def _lev(field: str, most: int) -> Callable[[Record, Record], bool]:
    return lambda a, b: (
        a[field] is not None
        and b[field] is not None
        and norm.levenshtein(a[field], b[field]) <= most
    )


def _both(a: Record, b: Record, field: str) -> bool:
    return a[field] is not None and b[field] is not None


def _null_sql(*fields: str) -> str:
    return " OR ".join(f'"{f}_l" IS NULL OR "{f}_r" IS NULL' for f in fields)


def _variants(a: Record, b: Record) -> bool:
    """Given names that are one name by the variant data: the same canonical, or in a shared
    variant group (Sam and Samuel; not Samuel and Samantha)."""
    if a["first_name"] is None or b["first_name"] is None:
        return False
    if a["first_canon"] is not None and a["first_canon"] == b["first_canon"]:
        return True
    return bool(
        a["first_groups"]
        and b["first_groups"]
        and set(a["first_groups"].split(" ")) & set(b["first_groups"].split(" "))
    )


_VARIANTS_SQL = (
    '("first_canon_l" = "first_canon_r" OR '
    "len(list_intersect(string_split(\"first_groups_l\", ' '), "
    "string_split(\"first_groups_r\", ' '))) >= 1)"
)


def _sound_alike(a: Record, b: Record, field: str) -> bool:
    return _eq(f"{field}_key")(a, b) or _eq(f"{field}_meta")(a, b)


def _sound_alike_sql(field: str) -> str:
    return f'("{field}_key_l" = "{field}_key_r" OR "{field}_meta_l" = "{field}_meta_r")'


def _close_first(a: Record, b: Record) -> bool:
    """Given names that are one person's name written differently: the same after nicknames,
    sounding alike, one typing error apart, or (both six letters or more) two apart. Short
    names two edits apart (Ben, Dan) are different names."""
    x, y = a["first_name"], b["first_name"]
    if x is None or y is None:
        return False
    return (
        _variants(a, b)
        or _sound_alike(a, b, "first")
        or _short_form(a, b)
        or norm.damerau_levenshtein_at_most_one(x, y)
        or (min(len(x), len(y)) >= 6 and norm.levenshtein(x, y) <= 2)
    )


def _close_typed_first(a: Record, b: Record) -> bool:
    """Given names one typing error apart, or (both six letters or more) two: Dean and Ian,
    two edits apart, are different names."""
    x, y = a["first_name"], b["first_name"]
    return (
        x is not None
        and y is not None
        and (
            norm.damerau_levenshtein_at_most_one(x, y)
            or (min(len(x), len(y)) >= 6 and norm.levenshtein(x, y) <= 2)
        )
    )


def _short_form(a: Record, b: Record) -> bool:
    """One given name starts the other, three letters or more (Nat for Natalie, Sam for
    Samantha): a short form the nickname table may not list."""
    x, y = a["first_name"], b["first_name"]
    return (
        x is not None
        and y is not None
        and min(len(x), len(y)) >= 3
        and (x.startswith(y) or y.startswith(x))
    )


_SHORT_FORM_SQL = (
    '(least(length("first_name_l"), length("first_name_r")) >= 3 '
    'AND (starts_with("first_name_l", "first_name_r") '
    'OR starts_with("first_name_r", "first_name_l")))'
)

_CLOSE_FIRST_SQL = (
    "(" + _VARIANTS_SQL + " OR " + _sound_alike_sql("first") + " OR " + _SHORT_FORM_SQL + " "
    'OR damerau_levenshtein("first_name_l", "first_name_r") <= 1 '
    'OR (least(length("first_name_l"), length("first_name_r")) >= 6 '
    'AND levenshtein("first_name_l", "first_name_r") <= 2))'
)


def _swapped_close(a: Record, b: Record) -> bool:
    return (
        None not in (a["first_name"], a["surname"], b["first_name"], b["surname"])
        and norm.levenshtein(a["first_name"], b["surname"]) <= 2
        and norm.levenshtein(a["surname"], b["first_name"]) <= 2
    )


def _cross_close(a: Record, b: Record, left: str, right: str) -> bool:
    return (
        a[left] is not None
        and b[right] is not None
        and norm.damerau_levenshtein_at_most_one(a[left], b[right])
    )


def _twins_of_either_gender(a: Record, b: Record) -> bool:
    """Given names that a typing error or a swap could explain, but a different recorded
    gender: a brother and sister (twins share the rest), however close the names are written
    (Alice and Oliver), and whichever way round one was written (Cooke Hazel and Stephen
    Cooke). Names that differ outright are left to the levels below."""
    return (
        _both(a, b, "first_name")
        and a["first_name"] != b["first_name"]
        and _both(a, b, "gender")
        and a["gender"] != b["gender"]
        and (
            norm.levenshtein(a["first_name"], b["first_name"]) <= 3
            or a["first_key"] == b["first_key"]
            or (b["surname"] is not None and norm.levenshtein(a["first_name"], b["surname"]) <= 2)
            or (a["surname"] is not None and norm.levenshtein(a["surname"], b["first_name"]) <= 2)
        )
    )


def _distinct_known_given_names(a: Record, b: Record) -> bool:
    """Given names that are two people's names: both recognised as given names in their own
    right (`norm.is_recognised_given_name`), not variants of one name, and not a typing error
    apart, sounding alike or one the start of the other, unless everything else says twins
    (same surname, date of birth and address: Dean and Sean Hartley born the same day at one
    door are two children). A name we do not recognise (an unknown diminutive, a typing
    error: Imy, Bilu, Katherrine) is no evidence of another person, whatever it starts with."""
    if not _both(a, b, "first_name") or a["first_name"] == b["first_name"]:
        return False
    if not (
        norm.is_recognised_given_name(a["first_name"])
        and norm.is_recognised_given_name(b["first_name"])
    ):
        return False
    if _variants(a, b):
        return False
    return not _close_first(a, b) or _twins_context(a, b)


def _twins_with_distinct_names(a: Record, b: Record) -> bool:
    """Twins written close (Dean and Sean Hartley, one birthday, one door): the given names
    are distinct known names and surname, date of birth and address agree."""
    return _twins_context(a, b) and _distinct_known_given_names(a, b)


def _twins_context(a: Record, b: Record) -> bool:
    """Same surname, same date of birth and same address: what twins share."""
    return _eq("surname")(a, b) and _eq("dob")(a, b) and _eq("address")(a, b)


# Dates of birth or estimated ages this many years apart or more are a parent and child, not
# one person written wrongly; a nearer difference counts against a match without vetoing it.
DECADES_APART = 10


def _born_decades_apart(a: Record, b: Record) -> bool:
    if not (_both(a, b, "by_lo") and _both(a, b, "by_hi")):
        return False
    return max(a["by_lo"], b["by_lo"]) - min(a["by_hi"], b["by_hi"]) >= DECADES_APART


def _different_people_named(a: Record, b: Record) -> bool:
    """For names that differ on both parts: different people, unless the surnames are within
    two typing errors (Nowak, Novak) and the given names are not two people's names
    (Bilaal beside Billa)."""
    close_surnames = _both(a, b, "surname") and norm.levenshtein(a["surname"], b["surname"]) <= 2
    return not close_surnames or _distinct_known_given_names(a, b)


def _year(record: Record) -> int:
    return int(record["dob"][:4])


def _one_missing(field: str, agrees: Callable[[Record, Record], bool]):
    return lambda a, b: (a[field] is None or b[field] is None) and agrees(a, b)


NAMES = Comparison(
    "names",
    "Given name and surname, allowing swaps, nicknames, spelling variants and typos",
    (
        Level(
            "Name missing",
            '("first_name_l" IS NULL OR "first_name_r" IS NULL) '
            'AND ("surname_l" IS NULL OR "surname_r" IS NULL)',
            lambda a, b: (
                (a["first_name"] is None or b["first_name"] is None)
                and (a["surname"] is None or b["surname"] is None)
            ),
            0.05,
            is_null=True,
        ),
        Level(
            "Exact",
            '"first_name_l" = "first_name_r" AND "surname_l" = "surname_r"',
            lambda a, b: _eq("first_name")(a, b) and _eq("surname")(a, b),
            0.7,
        ),
        Level(
            "Given name and surname swapped",
            '"first_name_l" = "surname_r" AND "surname_l" = "first_name_r"',
            lambda a, b: (
                a["first_name"] is not None
                and a["surname"] is not None
                and a["first_name"] == b["surname"]
                and a["surname"] == b["first_name"]
            ),
            0.03,
        ),
        Level(
            "Same surname, nickname or short form",
            '"surname_l" = "surname_r" AND (' + _VARIANTS_SQL + " OR " + _SHORT_FORM_SQL + ")",
            lambda a, b: _eq("surname")(a, b) and (_variants(a, b) or _short_form(a, b)),
            0.05,
            vetoes_link=True,
            veto_only_if=lambda a, b: _twins_with_distinct_names(a, b),
        ),
        Level(
            "Given names close or swapped, recorded gender differs",
            '"first_name_l" <> "first_name_r" AND "gender_l" <> "gender_r" '
            'AND (levenshtein("first_name_l", "first_name_r") <= 3 '
            'OR "first_key_l" = "first_key_r" '
            'OR levenshtein("first_name_l", "surname_r") <= 2 '
            'OR levenshtein("surname_l", "first_name_r") <= 2)',
            _twins_of_either_gender,
            0.005,
            vetoes_link=True,
        ),
        Level(
            "Both names within two typing errors, one for a given name under six letters",
            '(damerau_levenshtein("first_name_l", "first_name_r") <= 1 '
            'OR (least(length("first_name_l"), length("first_name_r")) >= 6 '
            'AND levenshtein("first_name_l", "first_name_r") <= 2)) '
            'AND levenshtein("surname_l", "surname_r") <= 2',
            lambda a, b: _close_typed_first(a, b) and _lev("surname", 2)(a, b),
            0.08,
            vetoes_link=True,
            veto_only_if=lambda a, b: _twins_with_distinct_names(a, b),
        ),
        Level(
            "Both names sound alike",
            _sound_alike_sql("first") + " AND " + _sound_alike_sql("surname"),
            lambda a, b: _sound_alike(a, b, "first") and _sound_alike(a, b, "surname"),
            0.04,
            vetoes_link=True,
            veto_only_if=lambda a, b: _twins_with_distinct_names(a, b),
        ),
        Level(
            "Given name a variant, surname sounds alike",
            _VARIANTS_SQL + " AND " + _sound_alike_sql("surname"),
            lambda a, b: _variants(a, b) and _sound_alike(a, b, "surname"),
            0.03,
        ),
        Level(
            "Given name and surname swapped, with typing errors",
            'levenshtein("first_name_l", "surname_r") <= 2 '
            'AND levenshtein("surname_l", "first_name_r") <= 2',
            _swapped_close,
            0.01,
        ),
        Level(
            "Surname agrees, given names of seven letters or more within three typing errors",
            '"surname_l" = "surname_r" AND levenshtein("first_name_l", "first_name_r") <= 3 '
            'AND least(length("first_name_l"), length("first_name_r")) >= 7',
            lambda a, b: (
                _eq("surname")(a, b)
                and _lev("first_name", 3)(a, b)
                and min(len(a["first_name"]), len(b["first_name"])) >= 7
            ),
            0.01,
            vetoes_link=True,
            veto_only_if=lambda a, b: _twins_with_distinct_names(a, b),
        ),
        Level(
            "Given name agrees, surname within three typing errors",
            '"first_name_l" = "first_name_r" AND levenshtein("surname_l", "surname_r") <= 3',
            lambda a, b: _eq("first_name")(a, b) and _lev("surname", 3)(a, b),
            0.01,
        ),
        Level(
            "Surname agrees, given name the same initials",
            '"first_exact_l" = "first_exact_r" AND levenshtein("surname_l", "surname_r") <= 1',
            lambda a, b: _eq("first_exact")(a, b) and _lev("surname", 1)(a, b),
            0.01,
        ),
        Level(
            "Surname agrees, given name missing",
            '("first_name_l" IS NULL OR "first_name_r" IS NULL) '
            'AND levenshtein("surname_l", "surname_r") <= 1',
            _one_missing("first_name", _lev("surname", 1)),
            0.01,
        ),
        Level(
            "Given name agrees, surname missing",
            '("surname_l" IS NULL OR "surname_r" IS NULL) '
            'AND levenshtein("first_name_l", "first_name_r") <= 1',
            _one_missing("surname", _lev("first_name", 1)),
            0.01,
        ),
        Level(
            "A name missing, the other agrees with the name swapped",
            '("first_name_l" IS NULL OR "first_name_r" IS NULL '
            'OR "surname_l" IS NULL OR "surname_r" IS NULL) '
            'AND (damerau_levenshtein("first_name_l", "surname_r") <= 1 '
            'OR damerau_levenshtein("surname_l", "first_name_r") <= 1)',
            lambda a, b: (
                _null("first_name", "surname")(a, b)
                and (
                    _cross_close(a, b, "first_name", "surname")
                    or _cross_close(b, a, "first_name", "surname")
                )
            ),
            0.01,
        ),
        Level(
            "One name missing, the other differs",
            '"first_name_l" IS NULL OR "first_name_r" IS NULL '
            'OR "surname_l" IS NULL OR "surname_r" IS NULL',
            _null("first_name", "surname"),
            0.01,
        ),
        Level(
            "Given name agrees, surname differs",
            _VARIANTS_SQL,
            _variants,
            0.02,
        ),
        Level(
            "Given name close, surname differs",
            _CLOSE_FIRST_SQL,
            _close_first,
            0.01,
        ),
        Level(
            "Given name agrees with the other's surname, the other name differs",
            '"surname_l" <> "surname_r" '
            'AND (damerau_levenshtein("first_name_l", "surname_r") <= 1 '
            'OR damerau_levenshtein("surname_l", "first_name_r") <= 1)',
            lambda a, b: (
                a["surname"] != b["surname"]
                and (
                    _cross_close(a, b, "first_name", "surname")
                    or _cross_close(b, a, "first_name", "surname")
                )
            ),
            0.01,
        ),
        Level(
            "Surname agrees, given name differs",
            '"surname_l" = "surname_r"',
            _eq("surname"),
            0.01,
            vetoes_link=True,
            veto_only_if=_distinct_known_given_names,
        ),
        Level(
            "Different",
            "ELSE",
            lambda a, b: True,
            0.02,
            vetoes_link=True,
            veto_only_if=_different_people_named,
        ),
    ),
)
BIRTH = Comparison(
    "birth",
    "Date of birth (allowing day and month swapped and one typing error) or estimated age",
    (
        Level(
            "Date of birth and age missing", _null_sql("by_lo"), _null("by_lo"), 0.1, is_null=True
        ),
        Level("Same date of birth", '"dob_l" = "dob_r"', _eq("dob"), 0.85),
        Level(
            "Day and month swapped",
            '"dob_swap_l" = "dob_r"',
            lambda a, b: a["dob_swap"] is not None and a["dob_swap"] == b["dob"],
            0.03,
        ),
        Level(
            "Date of birth one typing error apart",
            'levenshtein("dob_l", "dob_r") <= 1',
            _lev("dob", 1),
            0.07,
        ),
        Level(
            "Date of birth two typing errors apart, within ten years",
            'levenshtein("dob_l", "dob_r") <= 2 AND abs(CAST(substr("dob_l", 1, 4) AS INTEGER) '
            '- CAST(substr("dob_r", 1, 4) AS INTEGER)) < 10',
            lambda a, b: _lev("dob", 2)(a, b) and abs(_year(a) - _year(b)) < 10,
            0.03,
        ),
        Level(
            "Estimated age fits the date of birth",
            '("dob_l" IS NULL) <> ("dob_r" IS NULL) '
            'AND "by_lo_l" <= "by_hi_r" AND "by_lo_r" <= "by_hi_l"',
            lambda a, b: (
                (a["dob"] is None) != (b["dob"] is None)
                and a["by_lo"] <= b["by_hi"]
                and b["by_lo"] <= a["by_hi"]
            ),
            0.03,
        ),
        Level(
            "Two estimated ages agree",
            '"dob_l" IS NULL AND "dob_r" IS NULL '
            'AND "by_lo_l" <= "by_hi_r" AND "by_lo_r" <= "by_hi_l"',
            lambda a, b: (
                a["dob"] is None
                and b["dob"] is None
                and a["by_lo"] <= b["by_hi"]
                and b["by_lo"] <= a["by_hi"]
            ),
            0.03,
        ),
        Level(
            "Different",
            "ELSE",
            lambda a, b: True,
            0.02,
            vetoes_link=True,
            veto_only_if=_born_decades_apart,
        ),
    ),
)

POSTCODE = Comparison(
    "postcode",
    "Postcode, or its outward code",
    (
        Level("Postcode missing", _null_sql("postcode"), _null("postcode"), 0.2, is_null=True),
        Level("Same postcode", '"postcode_l" = "postcode_r"', _eq("postcode"), 0.7),
        Level(
            "Postcode one typing error apart",
            'damerau_levenshtein("postcode_l", "postcode_r") <= 1',
            lambda a, b: (
                _both(a, b, "postcode")
                and norm.damerau_levenshtein_at_most_one(a["postcode"], b["postcode"])
            ),
            0.05,
        ),
        Level("Same outward code", '"outward_l" = "outward_r"', _eq("outward"), 0.15),
        Level("Different", "ELSE", lambda a, b: True, 0.15),
    ),
)

ADDRESS = Comparison(
    "address",
    "Address, allowing a few typing errors",
    (
        Level("Address missing", _null_sql("address"), _null("address"), 0.2, is_null=True),
        Level("Same address", '"address_l" = "address_r"', _eq("address"), 0.7),
        Level(
            "Address within three typing errors",
            "levenshtein(replace(\"address_l\", ' ', ''), replace(\"address_r\", ' ', '')) <= 3",
            lambda a, b: (
                _both(a, b, "address")
                and norm.levenshtein(a["address"].replace(" ", ""), b["address"].replace(" ", ""))
                <= 3
            ),
            0.15,
        ),
        Level(
            "Address shares three or more words",
            "len(list_intersect(string_split(\"address_l\", ' '), "
            "string_split(\"address_r\", ' '))) >= 3",
            lambda a, b: _both(a, b, "address") and _shared_words(a, b) >= 3,
            0.1,
        ),
        Level(
            "Address shares two words",
            "len(list_intersect(string_split(\"address_l\", ' '), "
            "string_split(\"address_r\", ' '))) >= 2",
            lambda a, b: _both(a, b, "address") and _shared_words(a, b) >= 2,
            0.05,
        ),
        Level("Different", "ELSE", lambda a, b: True, 0.15),
    ),
)


def _shared_words(a: Record, b: Record) -> int:
    return len(set(a["address"].split(" ")) & set(b["address"].split(" ")))


GENDER = Comparison(
    "gender",
    "Gender",
    (
        Level("Gender missing", _null_sql("gender"), _null("gender"), 0.1, is_null=True),
        Level("Same gender", '"gender_l" = "gender_r"', _eq("gender"), 0.97),
        Level("Different", "ELSE", lambda a, b: True, 0.03),
    ),
)

PHONE = Comparison(
    "phone",
    "Phone number",
    (
        Level("Phone missing", _null_sql("phone"), _null("phone"), 0.3, is_null=True),
        Level("Same phone number", '"phone_l" = "phone_r"', _eq("phone"), 0.8),
        Level("Different", "ELSE", lambda a, b: True, 0.2),
    ),
)

COMPARISONS: tuple[Comparison, ...] = (NAMES, BIRTH, POSTCODE, ADDRESS, GENDER, PHONE)

# Candidate pairs: records sharing any of these keys are compared. The same keys are database
# indexes on Person, so live resolution retrieves exactly the candidates Splink would.
BLOCKING_RULES = (
    'l."first_key" = r."first_key" AND l."surname_key" = r."surname_key"',
    'l."first_key" = r."surname_key" AND l."surname_key" = r."first_key"',
    'l."surname" = r."surname" AND l."first_canon" = r."first_canon"',
    'l."dob" = r."dob"',
    'l."postcode" = r."postcode" AND l."first_key" = r."first_key"',
    'l."postcode" = r."postcode" AND l."surname_key" = r."surname_key"',
    'l."phone" = r."phone"',
)

PRIOR_PROBABILITY_TWO_RANDOM_RECORDS_MATCH = 1e-4


def splink_settings(
    comparisons: Iterable[Comparison] = COMPARISONS, blocking: Iterable[str] = BLOCKING_RULES
) -> dict:
    """The Splink settings dictionary for the model, with prior m probabilities."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": PRIOR_PROBABILITY_TWO_RANDOM_RECORDS_MATCH,
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in blocking
        ],
        "comparisons": [
            {
                "output_column_name": c.name,
                "comparison_description": c.description,
                "comparison_levels": [_level_dict(level) for level in c.levels],
            }
            for c in comparisons
        ],
    }


def in_current_form(model_json: dict) -> dict:
    """A stored model in the form of today's comparisons, so a version trained before a level
    was added or changed still runs: each level keeps its trained m and u where its label and
    condition are unchanged; a new or changed level carries no evidence (m = u) until the
    model is retrained (`lantern entities retrain`)."""
    stored = {
        c["output_column_name"]: {
            level.get("label_for_charts"): level for level in c["comparison_levels"]
        }
        for c in model_json.get("comparisons", [])
    }
    current = splink_settings()
    for comparison in current["comparisons"]:
        old = stored.get(comparison["output_column_name"], {})
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            previous = old.get(level["label_for_charts"])
            if (
                previous is not None
                and previous.get("sql_condition") == level["sql_condition"]
                and previous.get("u_probability") is not None
            ):
                level["m_probability"] = previous.get("m_probability", level["m_probability"])
                level["u_probability"] = previous["u_probability"]
            else:
                level["m_probability"] = level["u_probability"] = 0.5
    current["probability_two_random_records_match"] = model_json.get(
        "probability_two_random_records_match", PRIOR_PROBABILITY_TWO_RANDOM_RECORDS_MATCH
    )
    return current


def _level_dict(level: Level) -> dict:
    entry: dict[str, Any] = {"sql_condition": level.sql, "label_for_charts": level.label}
    if level.is_null:
        entry["is_null_level"] = True
    else:
        entry["m_probability"] = level.m
    return entry


# --- Scoring in Python ----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldAgreement:
    """How one comparison came out for a pair: the level and its match weight (log2 of m/u)."""

    comparison: str
    label: str
    weight: float


def vetoes(left: Record, right: Record, comparisons: Iterable[Comparison] = COMPARISONS) -> bool:
    """Does a vetoing level apply: given names or dates of birth that differ outright? Only
    the given comparisons are looked at."""
    return any(
        _level_of(c, left, right).vetoes(left, right)
        for c in comparisons
        if any(level.vetoes_link for level in c.levels)
    )


def veto_reason(left: Record, right: Record) -> str | None:
    """The vetoing level that applies, as "Names: Surname agrees, given name differs", or
    None when nothing vetoes the pair."""
    for comparison in COMPARISONS:
        if any(level.vetoes_link for level in comparison.levels):
            level = _level_of(comparison, left, right)
            if level.vetoes(left, right):
                return f"{comparison.name.capitalize()}: {level.label}"
    return None


def vetoed_pairs(frame) -> list[bool]:
    """For each row of Splink predictions (with matching columns kept), whether a vetoing
    level applies, decided by the same predicates as live resolution."""
    vetoing = [c for c in COMPARISONS if any(level.vetoes_link for level in c.levels)]
    columns = sorted({f for f in PERSON_COLUMNS if f"{f}_l" in frame.columns})
    left_rows = frame[[f"{f}_l" for f in columns]].to_dict("records")
    right_rows = frame[[f"{f}_r" for f in columns]].to_dict("records")
    result = []
    for left_raw, right_raw in zip(left_rows, right_rows, strict=True):
        left = {f: _plain(left_raw[f"{f}_l"]) for f in columns}
        right = {f: _plain(right_raw[f"{f}_r"]) for f in columns}
        result.append(any(_level_of(c, left, right).vetoes(left, right) for c in vetoing))
    return result


def _plain(value):
    # pandas gives NaN or <NA> for a missing value; the predicates expect None.
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _level_of(comparison: Comparison, left: Record, right: Record) -> Level:
    return next(level for level in comparison.levels if level.test(left, right))


@dataclass(frozen=True)
class Score:
    probability: float
    weight: float
    agreements: tuple[FieldAgreement, ...]
    vetoed: bool = False

    def explanation(self) -> list[dict]:
        return [
            {"field": a.comparison, "level": a.label, "weight": round(a.weight, 2)}
            for a in self.agreements
        ]


class TrainedModel:
    """The trained parameters of one model version, for scoring pairs in Python."""

    def __init__(self, splink_json: dict) -> None:
        splink_json = in_current_form(splink_json)
        self.splink_json = splink_json
        self.prior = float(splink_json["probability_two_random_records_match"])
        by_name = {c["output_column_name"]: c for c in splink_json["comparisons"]}
        self._weights: list[tuple[Comparison, list[float]]] = []
        for comparison in COMPARISONS:
            stored = by_name.get(comparison.name)
            if stored is None:
                continue
            weights = []
            for level, params in zip(comparison.levels, stored["comparison_levels"], strict=True):
                weights.append(0.0 if level.is_null else _level_weight(params))
            self._weights.append((comparison, weights))

    def score(self, left: Record, right: Record) -> Score:
        total = math.log2(self.prior / (1 - self.prior))
        agreements = []
        vetoed = False
        for comparison, weights in self._weights:
            for level, weight in zip(comparison.levels, weights, strict=True):
                if level.test(left, right):
                    total += weight
                    agreements.append(FieldAgreement(comparison.name, level.label, weight))
                    vetoed = vetoed or level.vetoes(left, right)
                    break
        probability = 2**total / (1 + 2**total)
        return Score(probability, total, tuple(agreements), vetoed)


def _level_weight(params: dict) -> float:
    # Splink treats a level whose m or u was never estimated as carrying no evidence.
    m = params.get("m_probability")
    u = params.get("u_probability")
    if m is None or u is None or m == 0 or u == 0:
        return 0.0
    return math.log2(m / u)
