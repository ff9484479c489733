"""`lantern demo`: migrate, load the fictional borough, print the sign-ins, serve the site."""

from __future__ import annotations

import time
from random import Random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from faker import Faker

from lantern.accounts.models import User
from lantern.audit.models import AuditAction
from lantern.audit.services import record
from lantern.core.progress import progress
from lantern.demo.borough import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_totp_setup_key
from lantern.demo.registry import DemoContext, generators


class Command(BaseCommand):
    help = "Load synthetic data for a fictional borough, print the demo sign-ins and serve."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["borough", "national"],
            default="borough",
            help="borough: a few thousand records; national: for benchmarks",
        )
        parser.add_argument("--seed", type=int, default=2026, help="The same seed, the same data")
        parser.add_argument("--no-serve", action="store_true", help="Load the data and exit")
        parser.add_argument(
            "--only",
            default="",
            help="Comma-separated generator names to run (for example borough,children); "
            "the benchmarks use it to load one app's data at national scale",
        )
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Where to serve")

    def handle(self, *args, scale, seed, no_serve, addr, verbosity, only="", **options):
        self.verbosity = verbosity
        call_command("migrate", interactive=False, verbosity=0)
        if User.objects.filter(username="admin").exists():
            self._say("Demo data is already loaded; keeping it.")
        else:
            self._load(scale, seed, only)
        if verbosity >= 1:
            self._print_sign_ins()
        if not no_serve:
            call_command("serve", addr=addr, tick=True)

    def _load(self, scale: str, seed: int, only: str = "") -> None:
        if User.objects.exists():
            raise CommandError(
                "This database already holds users that are not the demo's. "
                "Point LANTERN_DATA_DIR or DATABASE_URL at an empty database."
            )
        faker = Faker("en_GB")
        faker.seed_instance(seed)
        ctx = DemoContext(scale=scale, rng=Random(seed), faker=faker, made={})
        chosen = generators()
        if only:
            names = {name.strip() for name in only.split(",") if name.strip()}
            unknown = names - {g.name for g in chosen}
            if unknown:
                raise CommandError(
                    f"--only: no demo generator called {', '.join(sorted(unknown))}; "
                    f"the generators are {', '.join(g.name for g in chosen)}"
                )
            chosen = [g for g in chosen if g.name in names]
        outbox_before = _messages_in(settings.EMAIL_OUTBOX_DIR)
        for generator in progress(chosen, desc="Loading the demo", unit="part"):
            started = time.perf_counter()
            summary = generator.run(ctx)
            self.stdout.write(
                f"  {generator.name}: {summary} ({time.perf_counter() - started:.1f}s)"
            )
        record(
            actor="lantern demo",
            action=AuditAction.CREATE,
            object_type="demo",
            object_repr=f"Synthetic {scale} data, seed {seed}",
        )
        written = _messages_in(settings.EMAIL_OUTBOX_DIR) - outbox_before
        if written:
            self.stdout.write(
                f"  e-mail: {written} message(s) the demo would have sent are in "
                f"{settings.EMAIL_OUTBOX_DIR}"
            )

    def _say(self, line: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(line)

    def _print_sign_ins(self) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"Demo sign-ins (fictional borough of Northmere). Every password is: {DEMO_PASSWORD}"
        )
        self.stdout.write(
            "Accounts marked * need a second factor: add the setup key to an "
            "authenticator app, or run `lantern totp USERNAME` for the current code."
        )
        self.stdout.write("")
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                continue
            needs = "*" if user.needs_second_factor else " "
            key = demo_totp_setup_key(account.username) if user.needs_second_factor else ""
            self.stdout.write(f"  {needs} {account.username:<13} {user.role_labels[0]:<42} {key}")
        self.stdout.write("")


def _messages_in(outbox) -> int:
    """How many e-mails the file backend has written to the outbox (one file per batch)."""
    if not outbox.is_dir():
        return 0
    separator = b"-" * 79
    return sum(path.read_bytes().count(separator) for path in outbox.glob("*.log"))
