"""The home page for each role, and the error pages in the same design.

The error pages render when the database does not answer: the 500 and 503 pages never touch
it, and the others fall back to the page without the signed-in header when loading the user
from the session fails.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lantern.accounts.access import Cap, public, requires, signed_in
from lantern.accounts.roles import ROLE_DESCRIPTIONS, Role
from lantern.core import guides
from lantern.core.health import health_report
from lantern.core.home import needs_for, panels_for, public_start
from lantern.core.periodic import job_health


@public
def home(request):
    """Signed in: what this user's roles let them do, and the panels their apps put first.
    Not signed in: the public start page (report a concern, get support, check a status)."""
    if not request.user.is_authenticated:
        start = public_start()
        return start(request) if start else redirect_to_login(request.get_full_path())
    roles = [
        {"label": Role(code).label, "description": ROLE_DESCRIPTIONS[Role(code)]}
        for code in sorted(request.user.role_codes)
    ]
    context = {
        "roles": roles,
        "needs": needs_for(request),
        "panels": panels_for(request),
        "guides": _own_guides(request.user),
    }
    return render(request, "core/home.html", context)


@signed_in
def guide_list(request):
    """Every role's guide, the user's own first. The guides hold no personal data."""
    return render(
        request,
        "core/guide_list.html",
        {"own": _own_guides(request.user), "guides": guides.guide_titles()},
    )


@signed_in
def guide(request, name):
    """One guide, rendered from its Markdown file in docs/. An unknown name is a 404."""
    try:
        page = guides.load_guide(name)
    except guides.GuideNotFound:
        raise Http404("No such guide") from None
    return render(request, "core/guide.html", {"guide": page})


def _own_guides(user) -> list[dict]:
    """The guides for this user's roles, each once, in role order."""
    names = []
    for code in sorted(user.role_codes):
        name = guides.ROLE_GUIDES.get(code)
        if name and name not in names:
            names.append(name)
    titles = {entry["name"]: entry["title"] for entry in guides.guide_titles()}
    return [{"name": name, "title": titles[name]} for name in names if name in titles]


@requires(Cap.VIEW_HEALTH)
def health(request):
    """The periodic jobs `lantern tick` runs: when each last ran, how it ended, its last
    failure. No personal data, so nothing to audit."""
    rows = job_health()
    failing = [row for row in rows if row["state"] == "failed"]
    return render(request, "core/health.html", {"rows": rows, "failing": failing})


@public
@never_cache
def healthz(request):
    """For load balancers and monitors, without signing in: database, migrations, last tick,
    last audit checkpoint. 200 when healthy, 503 with the problems when not. Times and counts
    only, no personal data, so nothing to audit."""
    report = health_report(timezone.now())
    return JsonResponse(report, status=200 if report["healthy"] else 503)


def page_not_found(request, exception=None):
    return error_page(request, "404.html", 404)


def permission_denied(request, exception=None):
    return error_page(request, "403.html", 403)


def bad_request(request, exception=None):
    return error_page(request, "400.html", 400)


def csrf_failure(request, reason=""):
    """The form could not be checked (CSRF): usually a page left open past the session."""
    return error_page(request, "csrf_failure.html", 403)


def server_error(request):
    """500, or 503 "try again" when the database timed out, was locked or did not answer.
    Reads nothing from the database (not even the session)."""
    if isinstance(sys.exception(), OperationalError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)


def error_page(request, template: str, status: int) -> HttpResponse:
    """The error page in the site's layout; without the signed-in header (and so without the
    session) if the database does not answer."""
    try:
        request.user.is_authenticated  # noqa: B018 - loads the session and user, or fails
    except DatabaseError:
        context = {"borough_name": settings.LANTERN_BOROUGH_NAME}
        return HttpResponse(render_to_string(template, context), status=status)
    return render(request, template, status=status)
