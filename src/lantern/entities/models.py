"""Entities (people, locations, vehicles, phones, emails, online accounts, organisations), the
mentions that tie any record to them, and the decisions analysts make about them.

Any record of any app can mention an entity: a Mention points at its source record through a
generic reference (content type and id), so the access rule of the source record's own type
decides who may see that the mention exists.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class EntityKind(models.TextChoices):
    PERSON = "person", "Person"
    LOCATION = "location", "Location"
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone number"
    EMAIL = "email", "Email address"
    ONLINE = "online", "Online account"
    ORGANISATION = "organisation", "Organisation"


class PremisesType(models.TextChoices):
    HOTEL = "hotel", "Hotel or B&B"
    TAKEAWAY = "takeaway", "Takeaway"
    LICENSED = "licensed", "Licensed premises"
    TAXI = "taxi", "Taxi firm or rank"
    PARK = "park", "Park or open space"
    SCHOOL = "school", "School"
    SHOP = "shop", "Shop"
    CAR_PARK = "car_park", "Car park"
    HOUSE = "house", "House or flat"
    ONLINE = "online", "Online platform"
    OTHER = "other", "Other"


class DetailHandling(models.TextChoices):
    """Who may read a detail an analyst adds by correcting an entity."""

    POLICE = "police", "Police only"
    SHARED = "shared", "Anyone who may see this entity through a record of their own"


# The details an entity holds, each with its own source (`Entity.sources`). The matching keys
# (first_norm, surname_key, ...) are not details: they follow the names they come from.
DETAIL_FIELDS = (
    "label",
    "identifier",
    "first_name",
    "surname",
    "aliases",
    "dob",
    "birth_year_lo",
    "birth_year_hi",
    "gender",
    "ethnicity",
    "description",
    "address",
    "postcode",
    "phone",
    "premises_type",
    "ward",
    "latitude",
    "longitude",
    "make",
    "model",
    "colour",
    "platform",
)


class ModelVersion(models.Model):
    """One trained people-matching model: the Splink model JSON and when it was trained."""

    number = models.PositiveIntegerField(unique=True)
    splink_json = models.JSONField()
    trained_at = models.DateTimeField()
    trained_on = models.PositiveIntegerField(help_text="How many person records it learned from")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Model version {self.number}"


class Entity(models.Model):
    """A person, place, vehicle, phone, email, online account or organisation."""

    kind = models.CharField(max_length=20, choices=EntityKind.choices)
    label = models.CharField(max_length=200)
    # Exact identifier kinds: the normalised value (E.164, plate, address, platform:handle).
    identifier = models.CharField(max_length=200, blank=True, db_index=True)
    identifier_ok = models.BooleanField(default=True)
    # People
    first_name = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    aliases = models.CharField(max_length=300, blank=True)
    dob = models.DateField(null=True, blank=True)
    birth_year_lo = models.IntegerField(null=True, blank=True)
    birth_year_hi = models.IntegerField(null=True, blank=True)
    gender = models.CharField(max_length=1, blank=True)
    ethnicity = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    # Blocking keys for live candidate retrieval, from the normalisers.
    first_norm = models.CharField(max_length=100, blank=True)
    surname_norm = models.CharField(max_length=100, blank=True, db_index=True)
    first_canon = models.CharField(max_length=100, blank=True)
    first_key = models.CharField(max_length=4, blank=True)
    surname_key = models.CharField(max_length=4, blank=True)
    # People and locations
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True, db_index=True)
    # Locations
    premises_type = models.CharField(max_length=20, choices=PremisesType.choices, blank=True)
    ward = models.ForeignKey("core.Ward", null=True, blank=True, on_delete=models.PROTECT)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Vehicles and online accounts
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=30, blank=True)
    platform = models.CharField(max_length=60, blank=True)
    # Merging: a merged entity points at the one it became part of and is no longer active.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=0)
    # Where each detail came from: {detail: {"mention": id, "by": user id, "at": ISO time}} for
    # a detail a record's mention gave, {detail: {"correction": event id, "handling": ...,
    # "by": ..., "at": ...}} for one an analyst set. `accounts.access.entity_details_seen`
    # decides from it which details a reader may see; a detail with no source is police only.
    sources = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "entities"
        indexes = [
            models.Index(fields=["kind", "identifier"]),
            models.Index(fields=["first_key", "surname_key"]),
            models.Index(fields=["surname_key", "first_key"]),
            models.Index(fields=["surname_norm", "first_canon"]),
            models.Index(fields=["dob"]),
            models.Index(fields=["postcode", "first_key"]),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def gender_label(self) -> str:
        """The gender in words (the matching normaliser stores "f" or "m")."""
        return {"f": "Female", "m": "Male"}.get((self.gender or "").lower(), "")


class LinkMethod(models.TextChoices):
    PENDING = "pending", "Matching"
    EXACT = "exact", "Exact identifier"
    AUTOMATIC = "automatic", "Automatic (probabilistic)"
    CONFIRMED = "confirmed", "Confirmed by an analyst"
    NEW = "new", "New entity"


class Mention(models.Model):
    """A record's mention of an entity, as written, normalised, and what it resolved to."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=20, choices=EntityKind.choices)
    raw_text = models.CharField(max_length=300)
    normalised = models.CharField(max_length=300, blank=True)
    normalised_ok = models.BooleanField(default=True)
    details = models.JSONField(default=dict, blank=True)
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="mentions"
    )
    method = models.CharField(max_length=20, choices=LinkMethod.choices, default="pending")
    model_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.PROTECT)
    probability = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    mentioned_at = models.DateTimeField(help_text="When the source record was made")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["entity", "mentioned_at"]),
            models.Index(fields=["kind", "mentioned_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.raw_text}"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Waiting for an analyst"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Another match was confirmed"


class SuggestedMatch(models.Model):
    """A possible match below the automatic threshold, for an analyst to confirm or reject."""

    mention = models.ForeignKey(Mention, on_delete=models.PROTECT, related_name="suggestions")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="suggestions")
    probability = models.FloatField()
    explanation = models.JSONField(default=list)
    model_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(max_length=20, choices=SuggestionStatus.choices, default="open")
    suggested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mention", "entity"], name="one_suggestion_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.mention} may be {self.entity}"


class RejectedMatch(models.Model):
    """An analyst said this mention is not this entity: never suggested again."""

    mention = models.ForeignKey(Mention, on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mention", "entity"], name="one_rejection_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.mention} is not {self.entity}"


class EntityEvent(models.Model):
    """The history of an entity: merges and splits with their reason and the mentions moved,
    and corrections of its details with their reason and each field's old and new value."""

    class Kind(models.TextChoices):
        MERGE = "merge", "Merged"
        SPLIT = "split", "Split"
        CORRECT = "correct", "Details corrected"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="events")
    # The entity merged in or split out; none for a correction.
    other = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_mentions = models.JSONField(default=list)
    # A correction: {field: [old, new]} as text, and who may read what it set.
    changes = models.JSONField(default=dict, blank=True)
    handling = models.CharField(max_length=10, choices=DetailHandling.choices, blank=True)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    undone_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undoes"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        if self.other_id is None:
            return f"{self.get_kind_display()}: E-{self.entity_id}"
        return f"{self.get_kind_display()} E-{self.other_id} and E-{self.entity_id}"


class Note(models.Model):
    """A short record of information about entities, written in Lantern by any partner.

    Until the single point of entry lands this is the record type partners write mentions
    from; afterwards it remains for analysts' own notes. Visible to its author's agency and to
    analysts.
    """

    agency = models.ForeignKey("accounts.Agency", null=True, on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Note {self.pk}"
