"""A synthetic UK people set for measuring and testing the matcher: no real person in it.

Each true person appears once or more, written the way partners write: nicknames and short
forms, transliteration variants, typos, given name and surname swapped, day and month swapped,
an age estimate instead of a date of birth, upper case, missing fields. Relatives share a
surname and an address with different given names and dates of birth; namesakes share a full
name with a different date of birth and address. About 2% of households also have twins (one
date of birth, different given names) and about 2% a parent and child with one full name, born
20 to 40 years apart. All of them must stay apart.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker.providers.person.en_GB import Provider as _Names

from lantern.entities import normalise

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
# The UK set's own short forms (the hand-written table the matcher used before its variants
# became data), kept so the set is the same from run to run.
_SHORT: dict[str, tuple[str, ...]] = {
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
REFERENCE_DAY = date(2025, 4, 1)
TWINS_RATE = 0.02  # of households
PARENT_AND_CHILD_RATE = 0.02  # of households: one full name, born 20 to 40 years apart
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
    rows, truth, _ = uk_people_and_relatives(size, seed=seed)
    return rows, truth


def uk_people_and_relatives(
    size: int, *, seed: int = 7
) -> tuple[list[dict], dict[str, int], dict[str, list[tuple[int, int]]]]:
    """`uk_people`, and the pairs of true person numbers that are twins ("twin") or a parent
    and child with one full name ("parent_and_child"), both at one address."""
    rng = random.Random(seed)
    # Twins and same-name parents draw from their own stream, so everyone else is written as
    # before the relatives were added.
    relatives_rng = random.Random(f"relatives-{seed}")
    rows: list[dict] = []
    truth: dict[str, int] = {}
    relatives: dict[str, list[tuple[int, int]]] = {"twin": [], "parent_and_child": []}
    person_no = 0

    def write(person: Person, copies: int, stream: random.Random) -> None:
        for copy in range(copies):
            row = _as_written(person, stream, variant=copy > 0)
            row["record_id"] = f"R{len(rows) + 1:07d}"
            truth[row["record_id"]] = person_no
            rows.append(row)

    while len(rows) < size:
        household = _household(rng)
        first_no = person_no + 1
        for person in household:
            person_no += 1
            write(person, _copies(rng), rng)
        for kind, rate, relative in (
            ("twin", TWINS_RATE, _twin),
            ("parent_and_child", PARENT_AND_CHILD_RATE, _parent_or_child),
        ):
            if relatives_rng.random() < rate:
                person_no += 1
                write(relative(household[0], relatives_rng), _copies(relatives_rng), relatives_rng)
                relatives[kind].append((first_no, person_no))
        if rng.random() < 0.03:  # a namesake: same name, elsewhere, another date of birth
            person_no += 1
            namesake = Person(**vars(household[0]))
            namesake.dob = _dob(rng)
            namesake.postcode, namesake.address = _address(rng)
            namesake.phone = _phone(rng)
            write(namesake, 1, rng)
    kept = rows[:size]
    truth = {row["record_id"]: truth[row["record_id"]] for row in kept}
    present = set(truth.values())
    relatives = {
        kind: [pair for pair in pairs if set(pair) <= present] for kind, pairs in relatives.items()
    }
    return kept, truth, relatives


def _copies(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]


def _twin(sibling: Person, rng: random.Random) -> Person:
    """Born the same day at the same address, with a given name that is not a short form of
    the sibling's, of either gender."""
    gender = rng.choice("FM")
    names = _FEMALE if gender == "F" else _MALE
    first = rng.choice(names)
    while _given(first) == _given(sibling.first_name):
        first = rng.choice(names)
    postcode, address = sibling.postcode, sibling.address
    return Person(first, sibling.surname, sibling.dob, gender, postcode, address, _phone(rng))


def _given(first: str) -> str:
    return normalise.canonical_given_name(normalise.name(first))


def _parent_or_child(person: Person, rng: random.Random) -> Person:
    """The same full name and address, born 20 to 40 years earlier or later (later only when
    the child would be born by the reference day)."""
    gap = timedelta(days=rng.randrange(round(365.25 * 20), round(365.25 * 40)))
    child_dob = person.dob + gap
    dob = child_dob if child_dob < REFERENCE_DAY and rng.random() < 0.5 else person.dob - gap
    return Person(**{**vars(person), "dob": dob, "phone": _phone(rng)})


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
