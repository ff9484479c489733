"""The "add another" rows of the structured report form, and turning them into mentions.

Rows are Django formsets. "Add another" is a submit button that shows the page again with one
more blank row, so it works without JavaScript.
"""

from __future__ import annotations

from django.forms import formset_factory

from lantern.intake.forms import MAX_ROWS, ROWS

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
        person["role"] = person["role"] or "other"
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
