"""Holds a signed-in user at the second-factor step until they have passed it."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

# Pages a user may reach before passing the second factor.
_OPEN_URL_NAMES = ("accounts:verify", "accounts:enrol", "accounts:sign-out")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._is_open(request.path):
            if user_has_device(user, confirmed=True):
                return redirect(f"{reverse('accounts:verify')}?next={request.get_full_path()}")
            if user.must_set_up_second_factor:
                return redirect("accounts:enrol")
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = tuple(reverse(name) for name in _OPEN_URL_NAMES)
        from django.conf import settings

        return path in self._open_paths or path.startswith(settings.STATIC_URL)
