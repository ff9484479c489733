"""Cross-referencing pages: search, entity page, suggested matches, merge and split, notes,
finding identifiers in text, and hot spots. Thin: parse, authorise, call a service, render."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from lantern.accounts.access import (
    Cap,
    can,
    entity_correction_seen,
    get_visible_or_404,
    requires,
    visible,
)
from lantern.audit.services import record_list, record_read
from lantern.core.errors import LanternError
from lantern.entities import editing, extraction, queries, record_links, seen, services
from lantern.entities.forms import (
    DecisionForm,
    EntityForm,
    ExtractForm,
    HotspotForm,
    MentionForm,
    MergeForm,
    NoteForm,
    SearchForm,
    SplitForm,
)
from lantern.entities.models import (
    Entity,
    EntityEvent,
    EntityKind,
    LinkMethod,
    Mention,
    Note,
    SuggestedMatch,
    SuggestionStatus,
)
from lantern.entities.services import MentionInput

# --- Finding entities -----------------------------------------------------------------------


@requires(Cap.VIEW_ENTITIES)
def search(request):
    """Cross-referencing opens with what waits for the analyst: the suggested matches (count,
    oldest first) and the links made automatically this week, then the search."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"].strip()
        results = queries.search(request.user, text, kind=form.cleaned_data["kind"])
        record_list(request, Entity, len(results), query=text)
    context = {"form": form, "results": results}
    if results is None and can_resolve(request.user):
        waiting = waiting_suggestions(request.user)
        oldest = list(
            waiting.select_related("mention", "entity").order_by("suggested_at", "pk")[:5]
        )
        _show_entities_as_seen(request.user, oldest)
        since = timezone.now() - timedelta(days=7)
        automatic = list(
            visible(
                request.user,
                Mention.objects.filter(method=LinkMethod.AUTOMATIC, linked_at__gte=since),
            )
            .select_related("entity")
            .order_by("-linked_at", "-pk")[:10]
        )
        shown = seen.seen_by(request.user, [m.entity for m in automatic])
        for mention in automatic:
            mention.entity = shown[mention.entity.pk]
        record_list(request, SuggestedMatch, len(oldest), view="cross-referencing start")
        context.update({"waiting_count": waiting.count(), "oldest": oldest, "automatic": automatic})
    return render(request, "entities/search.html", context)


def can_resolve(user) -> bool:
    from lantern.accounts.access import has_capability

    return has_capability(user, Cap.RESOLVE_ENTITIES)


def waiting_suggestions(user):
    """The open suggestions this user may decide: the queue, its count on the cross-referencing
    page and on the home page are all this one query."""
    return visible(user, SuggestedMatch.objects.filter(status=SuggestionStatus.OPEN))


def needs_me(request) -> list[dict]:
    from django.urls import reverse

    return [
        {
            "label": "suggested matches waiting for a decision",
            "count": waiting_suggestions(request.user).count(),
            "href": reverse("entities:suggestions"),
        }
    ]


@requires(Cap.VIEW_ENTITIES)
def entity_detail(request, pk: int):
    """An entity, the records the user may see that mention it, and what appears with it."""
    entity = get_visible_or_404(request.user, Entity.objects.select_related("ward"), pk=pk)
    if entity.merged_into_id:
        return redirect("entities:detail", pk=services.current_entity(entity).pk)
    page = queries.linked_mentions(request.user, entity, request.GET.get("page"))
    timeline = [
        {
            "mention": m,
            "label": queries.source_label(m),
            "url": queries.source_url(m),
        }
        for m in page.object_list
    ]
    together = queries.alongside(request.user, entity)
    co_mentioned = queries.co_mentioned(request.user, entity, together=together)
    # What the reader sees of this entity and of those seen with it: only the details whose
    # source they may open (accounts.access.entity_details_seen).
    shown = seen.seen_by(request.user, [entity, *(other for other, _ in co_mentioned)])
    entity = shown[entity.pk]
    co_mentioned = [(shown[other.pk], count) for other, count in co_mentioned]
    nodes, edges = queries.network(
        request.user, entity, co_mentions=co_mentioned, together=together
    )
    may_resolve = can(request.user, "resolve", entity)
    record_read(request, entity)
    return render(
        request,
        "entities/entity_detail.html",
        {
            "entity": entity,
            "provenance": seen.provenance(entity),
            "timeline": timeline,
            "reported_ages": (
                queries.reported_ages(request.user, entity)
                if entity.kind == EntityKind.PERSON and not entity.dob
                else []
            ),
            "co_mentioned": co_mentioned,
            "co_mentioned_more": len(co_mentioned) == queries.CO_MENTIONED_LIMIT,
            "page_obj": page,
            "querystring": "",
            "nodes": nodes,
            "edges": edges,
            "network_data": queries.network_data(nodes, edges),
            "may_resolve": may_resolve,
            "events": _events_as_seen(request.user, entity) if may_resolve else [],
            "open_suggestions": (
                entity.suggestions.filter(status=SuggestionStatus.OPEN).count()
                if may_resolve
                else 0
            ),
        },
    )


def _events_as_seen(user, entity) -> list[EntityEvent]:
    """The entity's history, the entities merged in or split out named as the reader sees them."""
    events = list(entity.events.select_related("other", "actor"))
    shown = seen.seen_by(user, [event.other for event in events if event.other_id])
    for event in events:
        if event.other_id:
            event.other = shown[event.other_id]
        if event.kind != EntityEvent.Kind.CORRECT:
            continue
        new_seen = entity_correction_seen(user, event)
        old_seen = entity_correction_seen(user, event, old_values=True)
        event.changes = {
            name: [old if old_seen else "withheld", new if new_seen else "withheld"]
            for name, (old, new) in event.changes.items()
        }
    return events


@requires(Cap.RESOLVE_ENTITIES)
def entity_edit(request, pk: int):
    """Correct an entity's details, with a reason; a stale form is a conflict, not an overwrite."""
    entity = get_visible_or_404(
        request.user, Entity.objects.filter(is_active=True).select_related("ward"), pk=pk
    )
    shown = seen.seen_one(request.user, entity)
    # A detail from a record the analyst may not open is neither shown nor offered: saving
    # the form would otherwise overwrite it with what they could see instead.
    hidden = shown.withheld | ({"age"} if "dob" in shown.withheld else set())
    names = [name for name in editing.editable_fields(entity) if name not in hidden]
    initial = {name: getattr(shown, name) for name in names if name != "age"}
    initial["version"] = entity.version
    form = EntityForm(_posted(request), initial=initial, fields=names)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in names}
        try:
            event = editing.correct_entity(
                entity,
                actor=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
                handling=form.cleaned_data["handling"],
                **data,
            )
        except LanternError as error:
            field = getattr(error, "field", None)
            form.add_error(field if field in form.fields else None, str(error))
        else:
            messages.success(
                request, "The details have been corrected." if event else "Nothing was changed."
            )
            return redirect("entities:detail", pk=entity.pk)
    else:
        record_read(request, entity)
    return render(
        request,
        "entities/entity_form.html",
        {
            "entity": shown,
            "form": form,
            "withheld": sorted(seen.LABELS[n] for n in hidden if n in seen.LABELS),
        },
    )


# --- Suggested matches ----------------------------------------------------------------------


@requires(Cap.RESOLVE_ENTITIES)
def suggestions(request):
    queue = waiting_suggestions(request.user)
    total = queue.count()
    waiting = list(
        queue.select_related("mention", "entity", "model_version").order_by("-probability", "pk")[
            :200
        ]
    )
    _show_entities_as_seen(request.user, waiting)
    record_list(request, SuggestedMatch, len(waiting))
    return render(
        request, "entities/suggestions.html", {"suggestions": waiting, "total": total, "wide": True}
    )


@requires(Cap.RESOLVE_ENTITIES)
def suggestion_decide(request, pk: int):
    suggestion = get_visible_or_404(
        request.user, SuggestedMatch.objects.select_related("mention", "entity"), pk=pk
    )
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            if form.cleaned_data["decision"] == "confirm":
                mention = services.confirm_suggestion(suggestion, actor=request.user, now=now)
                shown = seen.seen_one(request.user, mention.entity)
                messages.success(request, f"Linked: {mention.raw_text} is {shown}.")
            else:
                mention = services.reject_suggestion(
                    suggestion, actor=request.user, now=now, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "Rejected: it will not be suggested again.")
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            return (
                redirect("entities:detail", pk=mention.entity_id)
                if mention.entity_id
                else (redirect("entities:suggestions"))
            )
    record_read(request, suggestion.entity)
    _show_entities_as_seen(request.user, [suggestion])
    return render(
        request,
        "entities/suggestion_decide.html",
        {"suggestion": suggestion, "form": form, "mention": suggestion.mention},
    )


# --- Merge and split ------------------------------------------------------------------------


@requires(Cap.RESOLVE_ENTITIES)
def merge(request, pk: int):
    keep = get_visible_or_404(request.user, Entity.objects.filter(is_active=True), pk=pk)
    form = MergeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        other = (
            visible(request.user, Entity.objects.all())
            .filter(pk=form.cleaned_data["other"])
            .first()
        )
        if other is None:
            form.add_error("other", "There is no entity with that reference number")
        else:
            try:
                services.merge_entities(
                    keep,
                    other,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                )
            except LanternError as error:
                form.add_error("other", str(error))
            else:
                shown = seen.seen_by(request.user, [keep, other])
                messages.success(
                    request, f"{shown[other.pk]} has been merged into {shown[keep.pk]}."
                )
                return redirect("entities:detail", pk=keep.pk)
    return render(
        request, "entities/merge.html", {"entity": seen.seen_one(request.user, keep), "form": form}
    )


@requires(Cap.RESOLVE_ENTITIES)
def split(request, pk: int):
    event = get_visible_or_404(
        request.user,
        EntityEvent.objects.filter(kind=EntityEvent.Kind.MERGE).select_related("entity", "other"),
        pk=pk,
    )
    form = SplitForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.split_entity(
                event, actor=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            other = seen.seen_one(request.user, event.other)
            messages.success(request, f"{other} is separate again, with its own records.")
            return redirect("entities:detail", pk=event.other_id)
    shown = seen.seen_by(request.user, [event.entity, event.other])
    event.entity, event.other = shown[event.entity_id], shown[event.other_id]
    return render(request, "entities/split.html", {"event": event, "form": form})


# --- Mentions from any record ---------------------------------------------------------------


@requires(Cap.VIEW_ENTITIES)
def mention_add(request, app_label: str, model_name: str, pk: int):
    """Mention an entity from any record that can mention them: the record's own access rule
    decides whether the user may see it (else 404) and change it (else 403)."""
    source = record_links.mentionable_record(request.user, app_label, model_name, pk)
    form = MentionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            (mention,) = services.add_mentions(
                source, [form.mention_input()], actor=request.user, now=timezone.now()
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            outcome = (
                f"linked to {seen.seen_one(request.user, mention.entity)}"
                if mention.entity_id
                else "Lantern is still matching it"
            )
            messages.success(request, f"Mention recorded: {mention.raw_text}, {outcome}.")
            return redirect(request.path)
    mentions = list(
        queries.visible_mentions(request.user)
        .filter(content_type__app_label=app_label, content_type__model=model_name, object_id=pk)
        .select_related("entity")
        .order_by("pk")
    )
    _show_entities_as_seen(request.user, mentions)
    record_read(request, source)
    return render(
        request,
        "entities/mention_form.html",
        {
            "form": form,
            "source": source,
            "source_url": record_links.record_url(source),
            "source_noun": record_links.record_noun(source),
            "mentions": mentions,
        },
    )


# --- Notes and finding identifiers in text --------------------------------------------------


@requires(Cap.VIEW_ENTITIES)
def note_create(request):
    """Write a note; identifiers in its text are offered as mentions to tick before saving."""
    text = request.POST.get("text", "")
    candidates = extraction.find_candidates(text) if text else []
    form = NoteForm(_posted(request), candidates=candidates)
    saving = request.POST.get("action") == "save"
    if request.method == "POST" and form.is_valid() and saving:
        data = form.cleaned_data
        chosen = [c for c in candidates if c.key in data["candidates"]]
        try:
            note = services.create_note(
                author=request.user,
                text=data["text"],
                mentions=_person_mention(data) + [_candidate_mention(c) for c in chosen],
                now=timezone.now(),
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your note has been saved and its mentions matched.")
            return redirect("entities:note-detail", pk=note.pk)
    return render(
        request,
        "entities/note_form.html",
        {"form": form, "candidates": candidates, "looked": request.method == "POST"},
    )


def _person_mention(data) -> list[MentionInput]:
    if not (data["first_name"] or data["surname"]):
        return []
    details = {
        "first_name": data["first_name"],
        "surname": data["surname"],
        "dob": data["dob"].isoformat() if data["dob"] else "",
        "age": data["age"],
        "gender": data["gender"],
        "postcode": data["postcode"],
    }
    raw = f"{data['first_name']} {data['surname']}".strip()
    return [MentionInput(EntityKind.PERSON, raw, details)]


def _candidate_mention(candidate) -> MentionInput:
    details = {}
    if candidate.kind == EntityKind.LOCATION:
        details["postcode"] = candidate.normalised
    if candidate.kind == EntityKind.ONLINE:
        details["platform"] = candidate.platform
    return MentionInput(candidate.kind, candidate.text, details)


@requires(Cap.VIEW_ENTITIES)
def note_detail(request, pk: int):
    note = get_visible_or_404(request.user, Note.objects.select_related("author", "agency"), pk=pk)
    mentions = list(
        queries.visible_mentions(request.user)
        .filter(content_type__app_label="entities", content_type__model="note", object_id=note.pk)
        .select_related("entity")
        .order_by("pk")
    )
    _show_entities_as_seen(request.user, mentions)
    record_read(request, note)
    return render(request, "entities/note_detail.html", {"note": note, "mentions": mentions})


@requires(Cap.VIEW_ENTITIES)
def extract(request):
    """POST text, get back the identifiers found in it: an HTML fragment for htmx, or a page."""
    form = ExtractForm(_posted(request))
    candidates = None
    if request.method == "POST" and form.is_valid():
        candidates = extraction.find_candidates(form.cleaned_data["text"])
    template = "entities/_candidates.html" if request.htmx else "entities/extract.html"
    return render(request, template, {"form": form, "candidates": candidates})


# --- Hot spots ------------------------------------------------------------------------------


@requires(Cap.VIEW_ENTITIES)
def hotspots(request):
    """Hot spots in a named period or between dates, against the period before: a map of
    those with coordinates (drawn by the browser, if it can) and always a table."""
    form = HotspotForm(request.GET or None)
    rows, window = [], None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        window = _hot_spot_window(data, today=timezone.localdate())
        rows = queries.hot_spots(
            request.user,
            start=window["start"],
            end=window["end"],
            previous=(window["previous_start"], window["previous_end"]),
            ward=data.get("ward"),
            premises_type=data.get("premises_type", ""),
        )
        record_list(
            request,
            Entity,
            len(rows),
            view="hot spots",
            start=str(window["start"]),
            end=str(window["end"]),
        )
    return render(
        request,
        "entities/hotspots.html",
        {
            "form": form,
            "rows": rows,
            "window": window,
            "map_points": queries.hot_spot_map_data(rows),
            "map_wards": queries.ward_map_data(rows) if window else None,
            "tile_url": settings.LANTERN_MAP_TILE_URL,
            "tile_attribution": settings.LANTERN_MAP_ATTRIBUTION,
        },
    )


def _hot_spot_window(data, *, today) -> dict:
    """The days to count and the days to compare with: a named period against the one before
    it, or dates (the last 90 days by default) against as many days just before."""
    period = data.get("period")
    if period is not None:
        before = period.previous()
        return {
            "label": period.label,
            "start": period.start,
            "end": period.end,
            "previous_label": before.label,
            "previous_start": before.start,
            "previous_end": before.end,
        }
    start = data.get("period_start") or today - timedelta(days=89)
    end = data.get("period_end") or today
    if end < start:  # only an end before the default start was given
        start = end - timedelta(days=89)
    length = (end - start).days + 1
    return {
        "label": "",
        "start": start,
        "end": end,
        "previous_label": "",
        "previous_start": start - timedelta(days=length),
        "previous_end": start - timedelta(days=1),
    }


def _show_entities_as_seen(user, rows) -> None:
    """Put the reader's copy of each row's entity (a mention's, a suggestion's) in its place,
    for display only: the copies cannot be saved."""
    shown = seen.seen_by(user, [row.entity for row in rows if row.entity_id])
    for row in rows:
        if row.entity_id:
            row.entity = shown[row.entity_id]


def _posted(request):
    """The submitted data, or None for a GET: an empty POST must still be validated."""
    return request.POST if request.method == "POST" else None
