from __future__ import annotations

from django.conf import settings

from lantern.core.navigation import items_for


def lantern(request):
    """What every page needs: the service navigation for this user and the borough's name."""
    return {
        "service_nav": items_for(request.user, request.path),
        "borough_name": settings.LANTERN_BOROUGH_NAME,
    }
