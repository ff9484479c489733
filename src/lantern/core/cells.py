"""The one guard against formula injection, for every CSV and XLSX export.

A cell that a spreadsheet would read as a formula (starting = + - @, a tab or a carriage
return) is written with a leading apostrophe, so it shows as text and never runs. Leading
spaces and line breaks do not hide a formula: some spreadsheets trim them on import, so
" =HYPERLINK(...)" and "\\n=cmd|..." are guarded too.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TRIMMED = " \t\r\n"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula, once it trims the start."""
    return text.startswith(FORMULA_STARTS) or text.lstrip(_TRIMMED).startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """A text cell made safe to open in a spreadsheet; numbers, dates and None unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def safe_cell(value: Any) -> str:
    """The value as text a spreadsheet will show, never run ("" for None)."""
    return neutralise("" if value is None else str(value))
