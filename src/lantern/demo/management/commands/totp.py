"""`lantern totp USERNAME`: a demo user's current second-factor code (never in production)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current second-factor code for a demo user (demo installations only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.LANTERN_DEMO_TOTP:
            raise CommandError("`lantern totp` works only on a demo installation.")
        device = TOTPDevice.objects.filter(
            user__username__iexact=username, confirmed=True, name="Demo authenticator"
        ).first()
        if device is None:
            raise CommandError(f"{username} is not a demo user with a demo authenticator.")
        code = totp(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
        self.stdout.write(f"{code:0{device.digits}d}")
