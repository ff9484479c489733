"""The "add another" rows of the structured report form, and turning them into mentions.

Rows are Django formsets. "Add another" is a submit button that shows the page again with one
more blank row, so it works without JavaScript.
"""

from __future__ import annotations

from django.forms import formset_factory

from lantern.intake.forms import MAX_ROWS, ROWS
from lantern.intake.models import SIGN_LABELS, HowKnown, PersonRole
from lantern.intake.services import normalise_phone, normalise_registration

INITIAL_ROWS = 1


def row_formsets(data, *, add: str | None = None) -> dict:
    """A formset per kind of mention, bound to `data` when given; `add` gets one more row."""
    formsets = {}
    for key, (form_class, _, _) in ROWS.items():
        formset_class = formset_factory(
            form_class, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS
        )
        if data is None:
            formsets[key] = formset_factory(form_class, extra=INITIAL_ROWS, max_num=MAX_ROWS)(
                prefix=key
            )
            continue
        formset = formset_class(data, prefix=key)
        if add == key:
            data = data.copy()
            total = int(data.get(f"{key}-TOTAL_FORMS", 0) or 0)
            data[f"{key}-TOTAL_FORMS"] = str(min(total + 1, MAX_ROWS))
            formset = formset_class(data, prefix=key)
        formsets[key] = formset
    return formsets


def rows_to_mentions(formsets: dict) -> dict:
    """The filled-in rows as the lists `NewSubmission` takes; blank rows are dropped."""
    if not formsets:
        return {}
    people = [
        {k: (v or "") for k, v in f.cleaned_data.items()}
        for f in formsets["person"].forms
        if any(f.cleaned_data.get(k) for k in ("name", "approximate_age", "description"))
    ]
    for person in people:
        person["role"] = person["role"] or PersonRole.NOT_SURE
    vehicles = [
        {k: v.strip() for k, v in f.cleaned_data.items()}
        for f in formsets["vehicle"].forms
        if any(f.cleaned_data.values())
    ]
    phones = [
        f.cleaned_data["raw"].strip() for f in formsets["phone"].forms if f.cleaned_data.get("raw")
    ]
    online = [
        {"platform": f.cleaned_data.get("platform", ""), "raw": f.cleaned_data["raw"].strip()}
        for f in formsets["online"].forms
        if f.cleaned_data.get("raw")
    ]
    return {"people": people, "vehicles": vehicles, "phones": phones, "online_accounts": online}


def field_warnings(form, formsets: dict) -> int:
    """Mark registrations and phone numbers that do not look complete with the warning to show
    beside the field (kept as typed: witnesses see part of a plate). Sets `raw_warning` on each
    row form and `contact_phone_warning` on the public form; returns how many were found."""
    found = 0
    for key, normalise in (("vehicle", normalise_registration), ("phone", normalise_phone)):
        for f in formsets.get(key, []) if formsets else []:
            value = (f["raw"].value() or "").strip()
            f.raw_warning = normalise(value)[2] if value else ""
            found += bool(f.raw_warning)
    if "contact_phone" in form.fields:
        value = (form["contact_phone"].value() or "").strip()
        form.contact_phone_warning = normalise_phone(value)[2] if value else ""
        found += bool(form.contact_phone_warning)
    return found


def check_sections(form, formsets: dict, attachments) -> list[dict]:
    """The answers of a valid report as "Check your answers" summary lists: each row has a
    key, the value as typed, the id of the field to change it and any warning about it."""
    data = form.cleaned_data

    def row(key, value, field_id, warning=""):
        return {"key": key, "value": value or "Not given", "field": field_id, "warning": warning}

    report = [
        row("What you saw or heard", data["narrative"], form["narrative"].id_for_label),
        row(
            "When it happened",
            data["occurred_on"].strftime("%-d %B %Y") if data.get("occurred_on") else "",
            form["occurred_on"].id_for_label,
        ),
        row("Where it happened", data.get("location"), form["location"].id_for_label),
    ]
    sections = [{"title": "Your report", "rows": report}]
    if getattr(form, "about_a_child", False):
        sections.append({"title": "About the child", "rows": _child_rows(form)})
    if not formsets:
        phone = data.get("contact_phone", "")
        sections.append(
            {
                "title": "Your contact details",
                "rows": [
                    row("Your name", data.get("contact_name"), form["contact_name"].id_for_label),
                    row(
                        "Your email", data.get("contact_email"), form["contact_email"].id_for_label
                    ),
                    row(
                        "Your phone number",
                        phone,
                        form["contact_phone"].id_for_label,
                        normalise_phone(phone)[2] if phone.strip() else "",
                    ),
                ],
            }
        )
        return sections
    report += [
        row("Ward", str(data["ward"]) if data.get("ward") else "", form["ward"].id_for_label),
        row(
            "How you know",
            HowKnown(data["how_known"]).label if data.get("how_known") else "",
            form["how_known"].auto_id + "_0",
        ),
    ]
    sections.append(
        {
            "title": "People, vehicles, phones and online accounts",
            "rows": _mention_rows(formsets, row),
        }
    )
    sections.append(
        {
            "title": "Signs and files",
            "rows": [
                row(
                    "Signs of exploitation",
                    ", ".join(SIGN_LABELS[s] for s in data.get("signs", [])),
                    form["signs"].auto_id + "_0",
                ),
                row(
                    "Photos, screenshots or documents",
                    ", ".join(a.original_name for a in attachments),
                    form["attachments"].id_for_label,
                ),
            ],
        }
    )
    return sections


_CHILD_KEYS = {
    "child_name": "The child's name",
    "child_age": "How old they are",
    "child_date_of_birth": "Their date of birth",
    "child_school": "Their school or college",
    "child_address": "Where they live",
    "child_lives_with": "Who they live with",
}


def _child_rows(form) -> list[dict]:
    """Who the child is, as the reporter said; a blank answer reads "You do not know"."""
    rows = []
    for name, key in _CHILD_KEYS.items():
        value = form.cleaned_data.get(name)
        if name == "child_date_of_birth" and value:
            value = value.strftime("%-d %B %Y")
        rows.append(
            {
                "key": key,
                "value": value or "You do not know",
                "field": form[name].id_for_label,
                "warning": "",
            }
        )
    return rows


_KEPT_IF = {
    "person": ("name", "approximate_age", "description"),
    "vehicle": ("raw", "make", "model", "colour"),
    "phone": ("raw",),
    "online": ("raw",),
}


def _mention_rows(formsets: dict, row) -> list[dict]:
    rows = []
    for key, (_, label, _) in ROWS.items():
        for number, f in enumerate(formsets[key].forms, start=1):
            d = f.cleaned_data
            if not any(d.get(k) for k in _KEPT_IF[key]):
                continue  # rows_to_mentions drops these too
            first = f[next(iter(f.fields))].id_for_label
            if key == "person":
                role = PersonRole(d["role"]).label if d.get("role") else "Not sure"
                parts = [d.get("name") or "Name not known", d.get("approximate_age"), role]
                value = ", ".join(p for p in parts if p)
                if d.get("description"):
                    value += f". {d['description']}"
                rows.append(row(f"{label} {number}", value, first))
            elif key == "vehicle":
                details = " ".join(x for x in (d.get("colour"), d.get("make"), d.get("model")) if x)
                raw = d.get("raw", "").strip()
                value = ", ".join(x for x in (raw or "Registration not seen", details) if x)
                warning = normalise_registration(raw)[2] if raw else ""
                rows.append(row(f"{label} {number}", value, f["raw"].id_for_label, warning))
            elif key == "phone":
                raw = d["raw"].strip()
                rows.append(row(f"{label} {number}", raw, first, normalise_phone(raw)[2]))
            else:
                value = " on ".join(x for x in (d.get("raw"), d.get("platform")) if x)
                rows.append(row(f"{label} {number}", value, f["platform"].id_for_label))
    if not rows:
        rows.append(row("People, vehicles, phones or online accounts", "", "id_person-0-name"))
    return rows
