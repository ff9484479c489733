"""Finding identifiers in free text, to offer them as mentions the writer confirms.

Registrations, phone numbers (phonenumbers' own matcher), postcodes, email addresses and
social media handles. Nothing found here is recorded until the user ticks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from lantern.entities import normalise as norm
from lantern.entities.models import EntityKind

# Current UK plates (AB12 CDE), with ? for characters the writer could not read.
_PLATE = re.compile(r"\b([A-Z?]{2}[0-9?]{2}\s?[A-Z?]{3})(?![\w?])")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][A-Z]{2})\b", re.IGNORECASE)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_.]{2,30}[A-Za-z0-9_])")
_PLATFORM_HINT = re.compile(
    r"\b(snapchat|snap|instagram|insta|tiktok|facebook|whatsapp|telegram|x|twitter)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    kind: str
    text: str  # as written
    normalised: str
    ok: bool
    platform: str = ""

    @property
    def key(self) -> str:
        """A stable value for a checkbox: kind, platform and the text as written."""
        return f"{self.kind}|{self.platform}|{self.text}"

    @property
    def kind_label(self) -> str:
        return EntityKind(self.kind).label


def find_candidates(text: str) -> list[Candidate]:
    """Every identifier found in the text, each once, in the order they appear."""
    found: list[tuple[int, Candidate]] = []
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    for match in emails:
        raw = text[match[0] : match[1]]
        result = norm.email(raw)
        found.append((match[0], Candidate(EntityKind.EMAIL, raw, result.value, result.ok)))
    for match in _PLATE.finditer(text.upper()):
        raw = text[match.start(1) : match.end(1)]
        if not re.search(r"[0-9]", raw):
            continue
        result = norm.registration(raw)
        found.append((match.start(1), Candidate(EntityKind.VEHICLE, raw, result.value, result.ok)))
    # POSSIBLE rather than VALID: partners write numbers from ranges phonenumbers does not
    # know yet (and the fictional 07700 900xxx range used in training and demos).
    matcher = phonenumbers.PhoneNumberMatcher(
        text, norm.DEFAULT_REGION, leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        result = norm.phone(match.raw_string)
        found.append(
            (match.start, Candidate(EntityKind.PHONE, match.raw_string, result.value, result.ok))
        )
    for match in _POSTCODE.finditer(text):
        if _inside(match.start(), emails):
            continue
        result = norm.postcode(match.group(1))
        if result.ok:
            found.append(
                (match.start(), Candidate(EntityKind.LOCATION, match.group(1), result.value, True))
            )
    for match in _HANDLE.finditer(text):
        hint = _PLATFORM_HINT.search(text[max(0, match.start() - 30) : match.start()])
        platform = hint.group(1).lower() if hint else ""
        result = norm.handle(match.group(1))
        found.append(
            (
                match.start(),
                Candidate(
                    EntityKind.ONLINE, "@" + match.group(1), result.value, result.ok, platform
                ),
            )
        )
    seen: set[tuple[str, str]] = set()
    unique = []
    for _, candidate in sorted(found, key=lambda item: item[0]):
        if (candidate.kind, candidate.normalised) in seen:
            continue
        seen.add((candidate.kind, candidate.normalised))
        unique.append(candidate)
    return unique


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)
