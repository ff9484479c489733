"""The home page for each role, and the error pages in the same design."""

from __future__ import annotations

from django.shortcuts import render

from lantern.accounts.access import Cap, requires, signed_in
from lantern.accounts.roles import ROLE_DESCRIPTIONS, Role
from lantern.core.home import panels_for
from lantern.core.periodic import job_health


@signed_in
def home(request):
    """What this user's roles let them do, and the panels their apps put first."""
    roles = [
        {"label": Role(code).label, "description": ROLE_DESCRIPTIONS[Role(code)]}
        for code in sorted(request.user.role_codes)
    ]
    return render(request, "core/home.html", {"roles": roles, "panels": panels_for(request)})


@requires(Cap.VIEW_HEALTH)
def health(request):
    """The periodic jobs `lantern tick` runs: when each last ran, how it ended, its last
    failure. No personal data, so nothing to audit."""
    rows = job_health()
    failing = [row for row in rows if row["state"] == "failed"]
    return render(request, "core/health.html", {"rows": rows, "failing": failing})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
