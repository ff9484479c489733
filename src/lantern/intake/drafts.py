"""Reports being written: answers and files held server-side until "Check your answers".

A draft is keyed by the report form's idempotency token. Files are checked and stored (outside
the web root, in the default storage) at the first POST that carries them, so a reporter never
chooses a file twice after an error or "Add another". Confirming the draft turns it into a
submission through `services.receive_submission` and then discards the draft. Drafts nobody
confirms are deleted by the `intake-drafts` periodic job after `LANTERN_INTAKE_DRAFT_HOURS`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import QueryDict

from lantern.intake.models import Draft, DraftAttachment, RateCount
from lantern.intake.services import (
    MAX_ATTACHMENTS,
    IntakeError,
    check_attachment,
)

# Buttons and the CSRF token are not answers.
NOT_ANSWERS = {"csrfmiddlewaretoken", "send", "remove_attachment"}


class DraftRefused(IntakeError):
    """The draft belongs to someone else, or has gone."""


def open_draft(token: Any, *, route: str, owner: Any, owned: bool, now: datetime) -> Draft:
    """The draft for `token`, made if it does not exist yet. `owned` says the caller has shown
    the draft is theirs (the token was issued to their browser, or they are its signed-in
    owner); an existing draft that is not theirs is refused (DraftRefused)."""
    token = _as_uuid(token)
    draft = Draft.objects.filter(token=token).first()
    if draft is not None:
        if not owned:
            raise DraftRefused("This report has expired. Start again.")
        return draft
    user = owner if getattr(owner, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            return Draft.objects.create(
                token=token, route=route, owner=user, created_at=now, updated_at=now
            )
    except IntegrityError:
        # A double click made it first: it is the same browser's draft.
        return Draft.objects.get(token=token)


def draft_exists(token: Any) -> bool:
    """Whether a draft with this token exists (a malformed token has none)."""
    try:
        return Draft.objects.filter(token=_as_uuid(token)).exists()
    except DraftRefused:
        return False


def keep_files(draft: Draft, uploads: Iterable[Any], *, now: datetime) -> list[str]:
    """Check and store each upload on the draft; return a message for each one refused (too
    big, not a photo/screenshot/PDF, or over the limit of files). Those accepted are kept even
    when others are refused."""
    errors = []
    kept = draft.attachments.count()
    for upload in uploads:
        if kept >= MAX_ATTACHMENTS:
            errors.append(f"{upload.name} was not added: you can add up to {MAX_ATTACHMENTS} files")
            continue
        try:
            checked = check_attachment(upload)
        except IntakeError as error:
            errors.append(str(error))
            continue
        # What is kept is what parsed (a picture re-encoded without its metadata), under a
        # name of ours: nothing the reporter types reaches the disk.
        DraftAttachment.objects.create(
            draft=draft,
            file=ContentFile(checked.data, name=f"{uuid.uuid4().hex}.{checked.extension}"),
            original_name=(upload.name or "attachment")[:200],
            content_type=checked.content_type,
            size=len(checked.data),
            uploaded_at=now,
        )
        kept += 1
    if kept:
        Draft.objects.filter(pk=draft.pk).update(updated_at=now)
    return errors


def remove_file(draft: Draft, attachment_id: Any) -> str | None:
    """Remove one of the draft's files; return its name, or None if it is not the draft's."""
    try:
        item = draft.attachments.get(pk=int(attachment_id))
    except (ValueError, TypeError, DraftAttachment.DoesNotExist):
        return None
    name = item.original_name
    item.file.delete(save=False)
    item.delete()
    return name


def save_answers(draft: Draft, data: QueryDict, *, route: str, now: datetime) -> Draft:
    """Keep the answers (every posted value except buttons) for the check page and "Change"."""
    draft.answers = {
        key: values for key, values in data.lists() if key not in NOT_ANSWERS and key[:4] != "add_"
    }
    draft.route = route
    draft.updated_at = now
    draft.save(update_fields=["answers", "route", "updated_at"])
    return draft


def answers_of(draft: Draft) -> QueryDict:
    """The saved answers as a QueryDict, to bind the report forms to again."""
    data = QueryDict(mutable=True)
    for key, values in (draft.answers or {}).items():
        data.setlist(key, list(values))
    return data


def files_of(draft: Draft) -> list[File]:
    """The draft's files, opened, named as the reporter named them: what receive_submission
    takes. The caller closes them."""
    files = []
    for item in draft.attachments.all():
        handle = item.file.open("rb")
        files.append(File(handle, name=item.original_name))
    return files


def discard(draft: Draft) -> None:
    """Delete the draft and its stored files (after it became a submission, or was abandoned)."""
    for item in draft.attachments.all():
        item.file.delete(save=False)
    draft.delete()


def delete_abandoned_drafts(now: datetime) -> str:
    """Delete drafts (and their files) untouched for LANTERN_INTAKE_DRAFT_HOURS, and rate-limit
    counts whose window has passed. Idempotent."""
    hours = settings.LANTERN_INTAKE_DRAFT_HOURS
    stale = Draft.objects.filter(updated_at__lt=now - timedelta(hours=hours))
    count = 0
    for draft in stale.prefetch_related("attachments").iterator(chunk_size=200):
        discard(draft)
        count += 1
    expired, _ = RateCount.objects.filter(expires_at__lt=now).delete()
    return f"{count} abandoned drafts deleted, {expired} expired rate counts removed"


def _as_uuid(token: Any) -> uuid.UUID:
    try:
        return token if isinstance(token, uuid.UUID) else uuid.UUID(str(token))
    except ValueError as error:
        raise DraftRefused("This report has expired. Start again.") from error
