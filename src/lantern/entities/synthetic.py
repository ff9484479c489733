"""A synthetic UK people set for measuring and testing the matcher: no real person in it.

Each true person appears once or more, written the way partners write: nicknames and short
forms, transliteration variants, typos, given name and surname swapped, day and month swapped,
an age estimate instead of a date of birth, upper case, missing fields. Relatives share a
surname and an address with different given names and dates of birth; namesakes share a full
name with a different date of birth and address. Both must stay apart.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker.providers.person.en_GB import Provider as _Names

from lantern.entities.normalise import _NICKNAMES

_TRANSLITERATIONS = (
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad"),
    ("Aisha", "Ayesha", "Aysha"),
    ("Yusuf", "Yousef", "Yusef"),
    ("Ali", "Aly"),
    ("Fatima", "Fatimah", "Fatema"),
    ("Ibrahim", "Ebrahim", "Ibraheem"),
)
_MALE = sorted(set(_Names.first_names_male)) + ["Mohammed", "Yusuf", "Ali", "Ibrahim"]
_FEMALE = sorted(set(_Names.first_names_female)) + ["Aisha", "Fatima"]
_SURNAMES = sorted(set(_Names.last_names)) + ["Khan", "Hussain", "Begum", "Ahmed", "Akhtar"]
_STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Road",
    "Park Avenue",
    "Victoria Street",
    "Canal Side",
    "Moor Lane",
    "Queens Road",
    "Albert Terrace",
)
_SHORT = dict(_NICKNAMES)
REFERENCE_DAY = date(2025, 4, 1)
CSV_COLUMNS = (
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


@dataclass
class Person:
    first_name: str
    surname: str
    dob: date
    gender: str
    postcode: str
    address: str
    phone: str


def uk_people(size: int, *, seed: int = 7) -> tuple[list[dict], dict[str, int]]:
    """About `size` records as CSV rows (strings) and the true person number of each record_id."""
    rng = random.Random(seed)
    rows: list[dict] = []
    truth: dict[str, int] = {}
    person_no = 0
    while len(rows) < size:
        household = _household(rng)
        for person in household:
            person_no += 1
            copies = rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]
            for copy in range(copies):
                row = _as_written(person, rng, variant=copy > 0)
                row["record_id"] = f"R{len(rows) + 1:07d}"
                truth[row["record_id"]] = person_no
                rows.append(row)
        if rng.random() < 0.03:  # a namesake: same name, elsewhere, another date of birth
            person_no += 1
            twin = Person(**vars(household[0]))
            twin.dob = _dob(rng)
            twin.postcode, twin.address = _address(rng)
            twin.phone = _phone(rng)
            row = _as_written(twin, rng, variant=False)
            row["record_id"] = f"R{len(rows) + 1:07d}"
            truth[row["record_id"]] = person_no
            rows.append(row)
    kept = rows[:size]
    return kept, {row["record_id"]: truth[row["record_id"]] for row in kept}


def _household(rng: random.Random) -> list[Person]:
    surname = rng.choice(_SURNAMES)
    postcode, address = _address(rng)
    size = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]  # relatives at the same address
    people = []
    for _ in range(size):
        gender = rng.choice("FM")
        first = rng.choice(_FEMALE if gender == "F" else _MALE)
        people.append(Person(first, surname, _dob(rng), gender, postcode, address, _phone(rng)))
    return people


def _as_written(person: Person, rng: random.Random, *, variant: bool) -> dict:
    first, surname, dob = person.first_name, person.surname, person.dob
    age = ""
    if variant:
        change = rng.random()
        if change < 0.15:
            first = _nickname(first, rng)
        elif change < 0.25:
            first = _transliterate(first, rng)
        elif change < 0.40:
            first = _typo(first, rng) if rng.random() < 0.5 else first
            surname = _typo(surname, rng) if rng.random() < 0.7 else surname
        elif change < 0.47:
            first, surname = surname, first
        if rng.random() < 0.06 and dob.day <= 12 and dob.day != dob.month:
            dob = date(dob.year, dob.day, dob.month)
        elif rng.random() < 0.08:
            age = str(_age_on(dob, REFERENCE_DAY) + rng.choice((-1, 0, 0, 1)))
            dob = None
        if rng.random() < 0.2:
            first, surname = first.upper(), surname.upper()
        if rng.random() < 0.1:  # moved house since the first record
            person = Person(**{**vars(person), "phone": _phone(rng)})
            person.postcode, person.address = _address(rng)
        elif rng.random() < 0.15:  # a new phone
            person = Person(**{**vars(person), "phone": _phone(rng)})
    return {
        "first_name": first,
        "surname": surname,
        "dob": dob.isoformat() if dob and not (variant and rng.random() < 0.03) else "",
        "age_estimate": age,
        "gender": person.gender if not (variant and rng.random() < 0.1) else "",
        "postcode": person.postcode if not (variant and rng.random() < 0.2) else "",
        "address": person.address if not (variant and rng.random() < 0.3) else "",
        "phone": person.phone if not (variant and rng.random() < 0.5) else "",
    }


def _age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _nickname(first: str, rng: random.Random) -> str:
    shorts = _SHORT.get(first.lower())
    return rng.choice(shorts).title() if shorts else first


def _transliterate(first: str, rng: random.Random) -> str:
    for group in _TRANSLITERATIONS:
        if first in group:
            return rng.choice(group)
    return first


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeinorst") + text[i + 1 :]


def _dob(rng: random.Random) -> date:
    return date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))


def _address(rng: random.Random) -> tuple[str, str]:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{rng.randrange(1, 10)}{rng.choice(letters)}{rng.choice(letters)}"
    postcode = f"NM{rng.randrange(1, 30)} {inward}"
    return postcode, f"{rng.randrange(1, 300)} {rng.choice(_STREETS)}"


def _phone(rng: random.Random) -> str:
    return f"07700 9{rng.randrange(0, 100000):05d}"
