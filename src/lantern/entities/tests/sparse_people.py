"""A second, independent generator of people mentions, written for the tests from the
description of partner intelligence in issue 15, not from the matcher's tables.

It reads nothing from `lantern.entities` (no nickname table, no phonetic key): the variants
below are written here. What it imitates: thousands of mentions of a borough's people, most
with no date of birth and no postcode, some with an estimated age only; a small pool of given
names, surnames and postcodes, so chance namesakes are common; diminutives and
transliterations from the borough's South Asian and Central/Eastern European communities
(Kuba for Jakub, Zoli for Zoltan, Imy for Imran, Mohd for Mohammed); typing errors in short
names; surname variants that change a Soundex key (Nowak/Novak, Thomson/Thompson). Every
mention, the first included, is degraded independently.

All names are synthetic combinations; no one real is described.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

REFERENCE_DAY = date(2025, 4, 1)

# Given names: (written form, gender, other ways partners write it).
GIVEN = (
    ("Jakub", "M", ("Kuba", "Kubus", "Jacob")),
    ("Zoltan", "M", ("Zoli", "Zoltán", "Zolti")),
    ("Imran", "M", ("Imy", "Immy", "Imraan")),
    ("Mohammed", "M", ("Mohd", "Muhammad", "Mohamed", "Mohammad")),
    ("Bilal", "M", ("Bilaal", "Billa", "Bilu")),
    ("Lukasz", "M", ("Łukasz", "Lukas", "Luki")),
    ("Stefan", "M", ("Ștefan", "Stefi", "Fane")),
    ("Tomasz", "M", ("Tomek", "Tomas")),
    ("Ondrej", "M", ("Ondřej", "Ondra")),
    ("Usman", "M", ("Osman", "Usmaan")),
    ("Daniel", "M", ("Dani", "Danny")),
    ("Ryan", "M", ("Rian",)),
    ("Katherine", "F", ("Katherrine", "Kate", "Kathryn")),
    ("Katarzyna", "F", ("Kasia", "Kaska")),
    ("Aisha", "F", ("Ayesha", "Aysha")),
    ("Fatima", "F", ("Fatimah", "Fatma")),
    ("Zsofia", "F", ("Zsófia", "Zsofi", "Sofia")),
    ("Malgorzata", "F", ("Małgorzata", "Gosia", "Gosha")),
    ("Ioana", "F", ("Ioanna", "Ionela")),
    ("Jessica", "F", ("Jess", "Jesica")),
    ("Amira", "F", ("Ameera", "Amirah")),
    ("Chloe", "F", ("Cloe", "Khloe")),
)
# Surnames and the spellings partners use, several changing the Soundex key.
SURNAMES = (
    ("Nowak", ("Novak", "Nowack")),
    ("Thomson", ("Thompson", "Tomson")),
    ("Kowalski", ("Kovalski", "Kowalsky")),
    ("Horvath", ("Horvat", "Horváth")),
    ("Khan", ("Khaan", "Kahn")),
    ("Hussain", ("Hussein", "Husain", "Hossain")),
    ("Ahmed", ("Ahmad", "Ahmet")),
    ("Popescu", ("Popesku",)),
    ("Novotny", ("Novotný", "Nowotny")),
    ("Begum", ("Beegum", "Begom")),
    ("Smith", ("Smyth",)),
    ("Kaur", ("Kour",)),
)
POSTCODES = tuple(f"NM{d} {n}{a}{b}" for d in (1, 2, 3) for n in (2, 5) for a, b in ("AB", "XW"))
STREETS = ("Mill Road", "Canal Side", "Station Street", "Moor Lane", "Park View")

COLUMNS = (
    "record_id",
    "first_name",
    "surname",
    "dob",
    "age_estimate",
    "gender",
    "postcode",
    "address",
    "phone",
)


def sparse_people(
    people: int, *, seed: int = 11, mentions=(1, 2, 2, 3, 4)
) -> tuple[list[dict], dict[str, int]]:
    """Mentions of `people` people as CSV rows (strings), and the true person of each row."""
    rng = random.Random(seed)
    rows: list[dict] = []
    truth: dict[str, int] = {}
    for person_no in range(1, people + 1):
        given, gender, variants = rng.choice(GIVEN)
        surname, surname_variants = rng.choice(SURNAMES)
        dob = date(1970, 1, 1) + timedelta(days=rng.randrange(365 * 45))
        postcode = rng.choice(POSTCODES)
        address = f"{rng.randint(1, 60)} {rng.choice(STREETS)}"
        phone = f"07700 9{rng.randrange(100000):05d}"
        for _ in range(rng.choice(mentions)):
            row = {
                "first_name": _written_given(given, variants, rng),
                "surname": _written_surname(surname, surname_variants, rng),
                "dob": "",
                "age_estimate": "",
                "gender": gender if rng.random() < 0.8 else "",
                "postcode": postcode if rng.random() < 0.3 else "",
                "address": address if rng.random() < 0.25 else "",
                "phone": phone if rng.random() < 0.1 else "",
            }
            known = rng.random()
            if known < 0.3:
                row["dob"] = dob.isoformat()
            elif known < 0.6:
                age = _age_on(dob, REFERENCE_DAY) + rng.choice((-2, -1, 0, 0, 0, 1, 2))
                row["age_estimate"] = str(max(age, 0))
            row["record_id"] = f"S{len(rows) + 1:06d}"
            truth[row["record_id"]] = person_no
            rows.append(row)
    order = list(range(len(rows)))
    rng.shuffle(order)
    return [rows[i] for i in order], truth


def _written_given(given: str, variants: tuple[str, ...], rng: random.Random) -> str:
    chance = rng.random()
    if chance < 0.35:
        return rng.choice(variants)
    if chance < 0.45:
        return _typo(given, rng)
    return given


def _written_surname(surname: str, variants: tuple[str, ...], rng: random.Random) -> str:
    chance = rng.random()
    if chance < 0.2:
        return rng.choice(variants)
    if chance < 0.25:
        return _typo(surname, rng)
    return surname


def _typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(text))
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "swap" and i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]


def _age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
