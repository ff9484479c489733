from __future__ import annotations

from django.conf import settings

from lantern.core.navigation import menu_for


def lantern(request):
    """What every page needs: the service navigation for this user (its sections, and the
    current section's pages) and the borough's name."""
    menu = menu_for(request.user, request.path)
    return {
        "service_nav": menu["top"],
        "section_nav": menu["sub"],
        "borough_name": settings.LANTERN_BOROUGH_NAME,
    }
