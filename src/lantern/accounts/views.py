"""Signing in (password, then a code from an authenticator app) and signing out."""

from __future__ import annotations

import time
from base64 import b32encode
from datetime import timedelta

import segno
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts import services
from lantern.accounts.access import public, signed_in
from lantern.accounts.forms import ChoosePasswordForm, CodeForm, SignInForm
from lantern.audit.models import AuditAction
from lantern.audit.services import record


@public
def sign_in(request):
    """Step one: username and password."""
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            _record_failed_attempt(request, form.cleaned_data["username"])
            if getattr(request, "axes_locked_out", False):
                return locked_out(request, None, {"username": form.cleaned_data["username"]})
            form.add_error(
                "username",
                "Enter a correct username and password. "
                "Both are case-sensitive except the username",
            )
        else:
            with transaction.atomic():
                login(request, user)
                record(actor=user, action=AuditAction.SIGN_IN, obj=user, request=request)
            if user_has_device(user, confirmed=True):
                return redirect(_with_next("accounts:verify", request))
            if user.must_set_up_second_factor:
                return redirect(_with_next("accounts:enrol", request))
            return redirect(_next_url(request))
    return render(request, "accounts/sign_in.html", {"form": form})


def _code_already_used(device: TOTPDevice, code: str) -> bool:
    """Whether a refused code is a right one the user already signed in with in this window.

    django-otp refuses a code whose time step is not after the last one used, so that a code
    seen over a shoulder cannot be replayed; the user should hear that, not "not right".
    """
    check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    check.time = time.time()
    try:
        token = int(code)
    except ValueError:
        return False
    return check.verify(token, device.tolerance) and check.t() <= device.last_t


@signed_in
def verify(request):
    """Step two: the 6-digit code from the user's authenticator app."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:enrol")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, data = device.verify_is_allowed()
        if not allowed:
            wait = _seconds_until((data or {}).get("locked_until"))
            form.add_error(
                "code",
                f"Too many wrong codes. Wait {wait} second{pluralize(wait)}, "
                "then enter the code the app shows",
            )
        elif device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            _record_second_factor(request, "passed")
            return redirect(_next_url(request))
        elif _code_already_used(device, form.cleaned_data["code"]):
            _record_second_factor(request, "code used again")
            form.add_error(
                "code",
                "That code has already been used. Wait for the app to show a new code, "
                "then enter it",
            )
        else:
            _record_second_factor(request, "wrong code")
            form.add_error("code", "The code is not right. Enter the code the app shows now")
    return render(request, "accounts/verify.html", {"form": form})


@signed_in
def enrol(request):
    """Set up an authenticator app: scan the QR code, then enter a code to confirm it."""
    if user_has_device(request.user, confirmed=True):
        return redirect(_with_next("accounts:verify", request))
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                _record_second_factor(request, "enrolled")
            messages.success(
                request,
                "Your authenticator app is set up. You will need a code "
                "from it each time you sign in.",
            )
            return redirect(_next_url(request))
        form.add_error(
            "code",
            "The code is not right. Check the app shows Lantern and enter the code it shows now",
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(
                scale=4,
                dark="#0b0c0c",
                light="#ffffff",
                title="QR code to scan with your authenticator app",
            ),
            "secret": _grouped_base32(device),
            "required": request.user.must_set_up_second_factor,
        },
    )


@public
def accept_invitation(request, token: str):
    """A new staff member chooses a password from their invitation link, then sets up 2FA."""
    try:
        invitation = services.usable_invitation(token, request=request)
    except services.InvitationRefused as refused:
        return render(
            request, "accounts/invitation_refused.html", {"problem": str(refused)}, status=404
        )
    form = ChoosePasswordForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                request, token, password=form.cleaned_data["password"]
            )
        except services.InvitationRefused as refused:
            return render(
                request, "accounts/invitation_refused.html", {"problem": str(refused)}, status=404
            )
        logout(request)  # whoever was signed in on this browser is not the invited person
        with transaction.atomic():
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            record(actor=user, action=AuditAction.SIGN_IN, obj=user, request=request)
        return redirect("accounts:enrol")
    return render(request, "accounts/invitation.html", {"form": form, "invited": invitation.user})


@require_POST
@public
def sign_out(request):
    """Sign out (POST only, so a link cannot sign someone out)."""
    if request.user.is_authenticated:
        record(actor=request.user, action=AuditAction.SIGN_OUT, obj=request.user, request=request)
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign-in")


def locked_out(request, response=None, credentials=None):
    """What django-axes shows after too many failed sign-ins: when to try again."""
    username = (credentials or {}).get("username", "")
    last = (
        AccessAttempt.objects.filter(username__iexact=username).order_by("-attempt_time").first()
        if username
        else None
    )
    retry_at = (last.attempt_time if last else timezone.now()) + settings.AXES_COOLOFF_TIME
    retry_at = max(retry_at, timezone.now() + timedelta(minutes=1))
    return render(
        request,
        "accounts/locked_out.html",
        {
            "retry_at": timezone.localtime(retry_at),
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


def _record_failed_attempt(request, typed: str) -> None:
    """A failed sign-in names what was typed, as an attempt: never a real account as though
    its owner had acted (anyone can type anyone's username)."""
    record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        request=request,
        object_repr=f"attempt as “{typed}”",
        details={"attempted_username": typed, "attempt": True},
        actor_label=f"Sign-in attempt as “{typed}”",
    )


def _record_second_factor(request, result: str) -> None:
    record(
        actor=request.user,
        action=AuditAction.SECOND_FACTOR,
        obj=request.user,
        request=request,
        details={"result": result},
    )


def _seconds_until(when) -> int:
    if when is None:
        return 1
    return max(1, int((when - timezone.now()).total_seconds() + 0.999))


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _with_next(url_name: str, request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next")
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': nxt})}" if nxt else url


def _grouped_base32(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
