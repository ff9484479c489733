"""Shared geography and the base behaviour records use across apps."""

from __future__ import annotations

from django.db import models


class Ward(models.Model):
    """An electoral ward of the borough: where things happen, for hot spots and reports."""

    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
