"""Children's records for information governance: a child's record comes up for review at a
configurable age (LANTERN_RETENTION_CHILD_AGE, 25); subject access finds the child's record
and what belongs to it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from lantern.accounts.access import Cap, children_opened_to
from lantern.children.models import Child
from lantern.governance import registry
from lantern.governance.erasure import (
    DISPOSED,
    erase_free_text,
    erase_related,
    years_after,
    years_before,
)


def review_date(child) -> date:
    return years_after(child.date_of_birth, settings.LANTERN_RETENTION_CHILD_AGE)


def due(today: date):
    cutoff = years_before(today, settings.LANTERN_RETENTION_CHILD_AGE)
    return (
        Child.objects.filter(date_of_birth__lte=cutoff)
        .exclude(last_name=DISPOSED)
        .order_by("date_of_birth", "pk")
    )


def dispose(child) -> list[str]:
    """Names, placement, school and every note about the child go; the date of birth keeps its
    year only (for aggregate figures); the reference, dates and levels stay."""
    born = child.date_of_birth
    removed = erase_free_text(
        child,
        marker={
            "first_name": "Disposed",
            "last_name": DISPOSED,
            "date_of_birth": date(born.year, 1, 1),
        },
    )
    return removed + erase_related(child)


def find_child(officer, pk: int):
    """Any child, except a restricted record (a staff member's family) outside the officer's
    circle: that one is a 404 here too."""
    child = Child.objects.filter(pk=pk).first()
    if child is None or (child.restricted and child.pk not in children_opened_to(officer)):
        return None
    return child


def child_items(kind: str, child) -> list[registry.Item]:
    own = [
        ("Reference", child.reference, False),
        ("Name", child.full_name, False),
        ("Known as", child.known_as, False),
        ("Date of birth", f"{child.date_of_birth:%d %B %Y}", False),
        ("Placement", child.placement, False),
        ("School", child.school, False),
    ]
    items = [registry.Item("Child record", own, child)]
    for relation in child._meta.related_objects:
        if not relation.one_to_many or relation.related_model._meta.app_label != "children":
            continue
        rows = relation.related_model._base_manager.filter(**{relation.field.name: child})
        for row in rows:
            text = [
                (f.verbose_name.capitalize(), str(getattr(row, f.attname)), True)
                for f in row._meta.concrete_fields
                if isinstance(f, models.TextField) and getattr(row, f.attname)
            ]
            heading = f"{relation.related_model._meta.verbose_name.capitalize()}: {row}"
            items.append(registry.Item(heading, text, row))
    return items


registry.register_retained_type(
    registry.RetainedType(
        label="children.child",
        name="Children's records",
        owner_capability=Cap.MANAGE_CHILDREN,
        policy=f"Reviewed at the child's {settings.LANTERN_RETENTION_CHILD_AGE}th birthday",
        due=due,
        review_date=review_date,
        stub_label=lambda child: f"Child {child.reference}",
        dispose=dispose,
        is_disposed=lambda child: child.last_name == DISPOSED,
    )
)
registry.register_subject_kind(
    registry.SubjectKind("child", "Child", find_child, lambda c: f"child {c.reference}")
)
registry.register_subject_source(
    registry.SubjectSource("children", frozenset({"child"}), child_items)
)
