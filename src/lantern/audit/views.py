"""The audit trail for administrators: search it, and open any record's history."""

from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from lantern.accounts.access import Cap, requires, visible
from lantern.audit.forms import AuditSearchForm
from lantern.audit.models import AuditEntry
from lantern.audit.registry import is_known_record_type, record_url
from lantern.audit.services import record_list

PAGE_SIZE = 50


@requires(Cap.VIEW_AUDIT)
def search(request):
    """Search the trail by person, record, action and date."""
    form = AuditSearchForm(request.GET or None)
    entries = visible(request.user, AuditEntry.objects.select_related("actor")).order_by("-id")
    if form.is_bound and form.is_valid():
        entries = _filtered(entries, form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    page = _with_links(Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    record_list(request, AuditEntry, len(page.object_list), filters=dict(request.GET.items()))
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page_obj": page,
            "querystring": querystring.urlencode(),
        },
    )


@requires(Cap.VIEW_AUDIT)
def record_history(request, object_type: str, object_id: str):
    """Who read or changed one record, when, and why. An unknown record type is not found."""
    if not is_known_record_type(object_type):
        raise Http404("There is no such record type")
    entries = (
        visible(request.user, AuditEntry.objects.select_related("actor"))
        .filter(object_type=object_type, object_id=object_id)
        .order_by("-id")
    )
    page = _with_links(Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")))
    readers = (
        entries.filter(action="read")
        .exclude(actor=None)
        .values_list("actor_label", flat=True)
        .distinct()
        .order_by("actor_label")
    )
    record_list(
        request, AuditEntry, len(page.object_list), object_type=object_type, object_id=object_id
    )
    return render(
        request,
        "audit/record.html",
        {
            "object_type": object_type,
            "object_id": object_id,
            "page_obj": page,
            "readers": list(readers),
            "querystring": "",
            "title": page.object_list[0].object_repr
            if page.object_list
            else f"{object_type} {object_id}",
        },
    )


def _with_links(page):
    # The link is drawn only where there is a page to open (a known type and an id).
    for entry in page.object_list:
        entry.record_url = record_url(entry.object_type, entry.object_id)
    return page


def _filtered(entries, data):
    if data["user"]:
        entries = entries.filter(actor__username__iexact=data["user"])
    if data["object_type"]:
        entries = entries.filter(object_type=data["object_type"].lower())
    if data["object_id"]:
        entries = entries.filter(object_id=data["object_id"])
    if data["action"]:
        entries = entries.filter(action=data["action"])
    tz = timezone.get_current_timezone()
    if data["date_from"]:
        entries = entries.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
    if data["date_to"]:
        entries = entries.filter(at__lte=datetime.combine(data["date_to"], time.max, tz))
    return entries
