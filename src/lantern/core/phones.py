"""Phone numbers: which ones Lantern rewrites into E.164, and which it keeps exactly as typed.

A number becomes E.164 only when `phonenumbers` says it is a valid number (allocated, of the
right length for its range), or when it is a complete number in one of Ofcom's ranges kept for
drama and examples (the synthetic demo uses them; `phonenumbers` calls them invalid because they
are never allocated). Anything else, a partial number above all, is kept as typed, flagged, and
matched only exactly: rewriting `07700 900` as `+447700900` would make it look complete.
"""

from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "GB"

# Ofcom's numbers for TV, radio and other drama (national significant numbers, without the 0).
_DRAMA_RANGES = (
    re.compile(r"^7700900\d{3}$"),  # mobile 07700 900000 to 900999
    re.compile(r"^1632960\d{3}$"),  # 01632 960000 to 960999
    re.compile(r"^207946\d{4}$"),  # 020 7946 0000 to 7946 0999 (and the rest of 7946)
    re.compile(r"^1134960\d{3}$"),  # 0113 496 0000 to 0999
    re.compile(r"^1214960\d{3}$"),  # 0121 496 0000 to 0999
    re.compile(r"^8081570\d{3}$"),  # 0808 157 0000 to 0999
)


def e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164 when it is a valid (or an Ofcom drama) number, else ""."""
    text = (raw or "").strip()
    if not text or not re.search(r"\d", text):
        return ""
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    national = str(parsed.national_number)
    drama = parsed.country_code == 44 and any(r.match(national) for r in _DRAMA_RANGES)
    if not (phonenumbers.is_valid_number(parsed) or drama):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
