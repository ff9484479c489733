"""GOV.UK's date input: day, month and year in three boxes, with errors that name the part.

Every `forms.DateField` on a GOV.UK form (`lantern.core.forms.GovukFormMixin`) is drawn with
`GovukDateInput` and read by `GovukDateField` rules, so browsers' own date pickers (which show
`mm/dd/yyyy` in an en-GB service) never appear. The messages follow the Design System's date
input pattern: "Date of birth must include a month", "Date of birth must be a real date",
"Year must include 4 numbers". What was typed is shown again as typed.

A single ISO value under the field's own name (`?date_from=2026-05-01`) is still read, so links
and bookmarks that carry a date keep working.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


class DateParts(tuple):
    """What was typed in the three boxes: (day, month, year), each a string."""

    def __new__(cls, day="", month="", year=""):
        return super().__new__(cls, (str(day or ""), str(month or ""), str(year or "")))

    def blank(self) -> list[str]:
        return [part for part, value in zip(PARTS, self, strict=True) if not value.strip()]


class GovukDateInput(forms.MultiWidget):
    """Three text boxes in GOV.UK's date input markup; ids are `<id>_day` and so on."""

    template_name = "core/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k not in ("type", "class")}
        widths = {"day": 2, "month": 2, "year": 4}
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )
            for part, width in widths.items()
        }
        super().__init__(widgets, attrs)
        self.bad_parts: tuple[str, ...] = ()

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str):
            try:
                parsed = datetime.date.fromisoformat(value.strip())
            except ValueError:
                return ["", "", ""]
            return self.decompress(parsed)
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        parts = DateParts(*(data.get(f"{name}_{part}", "") for part in PARTS))
        if len(parts.blank()) == 3 and data.get(name):
            return data.get(name)  # one ISO value, from a link or a bookmark
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        form_has_error = "govuk-input--error" in (attrs or {}).get("class", "")
        for part, sub in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            sub["part"] = part
            sub["part_label"] = part.capitalize()
            if id_:
                sub["attrs"]["id"] = f"{id_}_{part}"
            classes = self.widgets[PARTS.index(part)].attrs["class"]
            if form_has_error and (not self.bad_parts or part in self.bad_parts):
                classes += " govuk-input--error"
            sub["attrs"]["class"] = classes
            sub["attrs"].pop("aria-describedby", None)
            sub["attrs"].pop("aria-invalid", None)
        return context

    def id_for_label(self, id_):
        # The error summary links to the first part that is wrong (the day when all are).
        part = self.bad_parts[0] if self.bad_parts else "day"
        return f"{id_}_{part}" if id_ else ""


def parse_parts(parts: DateParts, label: str) -> datetime.date:
    """The date three filled-in parts make; `_PartError` naming the parts that are wrong."""
    day, month, year = (value.strip() for value in parts)
    month_number = _MONTHS.get(month.lower()) if not month.isdigit() else int(month)
    if not re.fullmatch(r"\d{4}", year):
        raise _PartError("Year must include 4 numbers", ("year",))
    if not day.isdigit() or month_number is None:
        wrong = tuple(p for p, ok in (("day", day.isdigit()), ("month", month_number)) if not ok)
        raise _PartError(f"{label} must be a real date", wrong)
    try:
        return datetime.date(int(year), month_number, int(day))
    except ValueError:
        raise _PartError(f"{label} must be a real date", ()) from None


class _PartError(ValidationError):
    def __init__(self, message: str, parts: tuple[str, ...]):
        super().__init__(message, code="invalid_date")
        self.parts = parts


class GovukDateFieldMixin:
    """Reads `DateParts`; put before forms.DateField (GovukFormMixin does it for every one)."""

    def to_python(self, value):
        widget = self.widget
        if isinstance(widget, GovukDateInput):
            widget.bad_parts = ()
        if not isinstance(value, DateParts):
            return super().to_python(value)
        label = str(self.label or "Date")
        blank = value.blank()
        if blank and len(blank) < 3:
            widget.bad_parts = tuple(blank)
            message = f"{label} must include a {' and '.join(blank)}"
            raise ValidationError(message, code="incomplete")
        if blank:
            return None  # all three blank: "required" is the field's own check
        try:
            parsed = parse_parts(value, label)
        except _PartError as error:
            widget.bad_parts = error.parts
            raise ValidationError(error.messages[0], code="invalid_date") from None
        return parsed


_CLASSES: dict[type, type] = {}


def use_govuk_date_input(field: forms.DateField) -> None:
    """Draw `field` with GOV.UK's date input and read its three parts."""
    if isinstance(field.widget, forms.HiddenInput) or isinstance(field, GovukDateFieldMixin):
        return
    klass = type(field)
    if klass not in _CLASSES:
        _CLASSES[klass] = type(f"Govuk{klass.__name__}", (GovukDateFieldMixin, klass), {})
    field.__class__ = _CLASSES[klass]
    widget = GovukDateInput(attrs=field.widget.attrs)
    widget.is_required = field.required
    field.widget = widget
