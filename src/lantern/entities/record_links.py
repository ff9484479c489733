"""Records of other apps that can mention entities, and the links that keep them in step.

Any record type listed in MENTIONABLE can be given a mention through the generic "Mention an
entity" page (entities:mention-add), which finds the record by content type and id and asks
that record type's own access rule, through `accounts.access`, whether the user may see it and
may change it. Other apps need only a link to that page.

A missing episode's "where found" becomes a location mention as soon as it is written: the
children app sends `children.signals.where_found_recorded` from the services that write it
(inside their transaction), and a missing episode saved any other way is caught by its own
`post_save`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.db.models.signals import post_save
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.access import can, get_visible_or_404


@dataclass(frozen=True)
class Mentionable:
    """A record type that can mention entities: the action its rule calls changing it, and
    the name of its page."""

    change_action: str
    url_name: str
    noun: str
    url_arg: str = "pk"


MENTIONABLE: dict[str, Mentionable] = {
    "children.child": Mentionable("change", "children:child-detail", "child's record"),
    "children.missingepisode": Mentionable("change", "children:missing-detail", "missing episode"),
    "tasking.action": Mentionable("update", "tasking:action-detail", "action"),
    "intake.submission": Mentionable("work", "intake:detail", "submission", "reference"),
    "entities.note": Mentionable("change", "entities:note-detail", "note"),
}

WHERE_FOUND = "where_found"


def mentionable_record(user: Any, app_label: str, model_name: str, pk: int) -> Model:
    """The record a mention is to be added to, if the user may see it (404 otherwise, so its
    existence is not revealed) and may change it (403: they can already see it exists)."""
    kind = MENTIONABLE.get(f"{app_label}.{model_name}")
    model = apps.get_model(app_label, model_name) if kind else None
    if kind is None or model is None:
        raise Http404("No such record type")
    record = get_visible_or_404(user, model._default_manager.all(), pk=pk)
    if not can(user, kind.change_action, record):
        raise PermissionDenied
    return record


def record_url(record: Model) -> str:
    kind = MENTIONABLE.get(record._meta.label_lower)
    if kind is None:
        return ""
    return reverse(kind.url_name, kwargs={kind.url_arg: getattr(record, kind.url_arg)})


def record_noun(record: Model) -> str:
    kind = MENTIONABLE.get(record._meta.label_lower)
    return kind.noun if kind else "record"


def mention_where_found(episode: Model, *, actor: Any, now=None) -> bool:
    """Record where a missing child was found as a location mention of the episode, once for
    each place written there. True if a mention was added."""
    from lantern.entities.models import EntityKind, Mention
    from lantern.entities.services import MentionInput, add_mentions

    place = (episode.where_found or "").strip()
    if not place:
        return False
    already = Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(episode),
        object_id=episode.pk,
        kind=EntityKind.LOCATION,
        raw_text=place[:300],
        details__field=WHERE_FOUND,
    ).exists()
    if already:
        return False
    add_mentions(
        episode,
        [MentionInput(EntityKind.LOCATION, place, {"field": WHERE_FOUND})],
        actor=actor,
        now=now or timezone.now(),
    )
    return True


def connect() -> None:
    """Connect the receivers (from EntitiesConfig.ready)."""
    from lantern.children.signals import where_found_recorded

    post_save.connect(
        _episode_saved, sender="children.MissingEpisode", dispatch_uid="entities-where-found"
    )
    where_found_recorded.connect(_where_found_recorded, dispatch_uid="entities-where-found-set")


def _episode_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    mention_where_found(instance, actor=instance.recorded_by)


def _where_found_recorded(sender, episode, actor, now, **kwargs) -> None:
    mention_where_found(episode, actor=actor or episode.recorded_by, now=now)
