"""`lantern users create USERNAME --role ROLE`: the first administrator of a real installation.

It asks for the password twice (never on the command line, where it would stay in the shell's
history), checks it against the password rules, and records the creation in the audit trail.
The new user enrols an authenticator app the first time they sign in, as every administrator
must. Roles that see full intelligence or restricted records need a second administrator's
approval, so they are given on the Users page, not here.
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lantern.accounts.models import RoleAssignment, User
from lantern.accounts.roles import SECOND_APPROVAL_REQUIRED, Role
from lantern.audit.models import AuditAction
from lantern.audit.services import record


class Command(BaseCommand):
    help = "Manage users from the console: `lantern users create USERNAME --role ROLE`."
    stealth_options = ("stdin",)  # tests pass the password's input stream

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a user with one role")
        create.add_argument("username")
        create.add_argument(
            "--role",
            required=True,
            help="The role to give, for example administrator. Roles: " + ", ".join(Role.values),
        )
        create.add_argument("--email", default="", help="Their work e-mail address")
        create.add_argument("--full-name", default="", help="Their name as colleagues see it")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input (for scripts)",
        )

    def handle(self, *args, action, **options):
        self.input = options.pop("stdin", None) or sys.stdin
        if action == "create":
            self._create(**options)

    def _create(self, *, username, role, email, full_name, password_stdin, **_):
        username = username.strip()
        if not username:
            raise CommandError("USERNAME: enter a username")
        if role not in Role.values:
            raise CommandError(
                f"--role: there is no role called {role!r}; the roles are {', '.join(Role.values)}"
            )
        if role in SECOND_APPROVAL_REQUIRED:
            raise CommandError(
                f"--role: {Role(role).label} needs a second administrator's approval; "
                "create the user with another role and give it on the Users page"
            )
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"USERNAME: a user called {username!r} already exists")
        candidate = User(username=username, email=email, full_name=full_name or username)
        password = self._password(candidate, from_stdin=password_stdin)
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, email=email, password=password, full_name=candidate.full_name
            )
            RoleAssignment.objects.create(user=user, role=role)
            record(
                actor="lantern users create",
                action=AuditAction.CREATE,
                obj=user,
                details={"role": role, "from": "console"},
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {username} ({Role(role).label}). They set up an authenticator app "
                "the first time they sign in."
            )
        )

    def _password(self, candidate: User, *, from_stdin: bool) -> str:
        attempts = [self.input.readline().rstrip("\n")] if from_stdin else None
        for _ in range(3):
            if attempts is not None:
                password = attempts[0]
            else:
                password = getpass.getpass("Password: ")
                if password != getpass.getpass("Password again: "):
                    self.stderr.write("The two passwords are not the same. Try again.")
                    continue
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                message = " ".join(error.messages)
                if attempts is not None:
                    raise CommandError(f"Password: {message}") from None
                self.stderr.write(f"Password: {message}")
                continue
            return password
        raise CommandError("Password: no acceptable password given; nothing was created")
