"""Shared geography and the base behaviour records use across apps."""

from __future__ import annotations

from django.db import models


class Ward(models.Model):
    """An electoral ward of the borough: where things happen, for hot spots and reports."""

    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(max_length=20, unique=True)
    # The ward's outline as a GeoJSON geometry (Polygon or MultiPolygon, longitude first), so
    # the hot-spot map draws wards with no tile server. The demo generates its fictional ones;
    # an installation loads ONS boundaries with `lantern places import-boundaries FILE`.
    boundary = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One periodic job as `lantern tick` sees it across runs: when it last ran and how it
    ended, its last failure (for the health page), and, on SQLite, the lock row that keeps a
    second, overlapping tick from running it at the same time."""

    name = models.CharField(max_length=100, unique=True)
    # The lock row (SQLite only; PostgreSQL uses an advisory lock): held by `holder` until
    # `held_until`, after which a tick that died holding it no longer blocks the job.
    holder = models.CharField(max_length=64, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_summary = models.CharField(max_length=500, blank=True)
    last_skipped_at = models.DateTimeField(null=True, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def failing(self) -> bool:
        """Whether the job's last run failed."""
        return self.failures_in_a_row > 0
