"""``sambang accounts``: create logins (one, or a file of them) and print their one-time
activation links and codes; issue a new activation, or a two-factor enrolment link, for an
existing account."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sambang.accounts import enrolment, provisioning
from sambang.accounts.provisioning import IssuedActivation
from sambang.core.errors import ApplicationError, error_text
from sambang.core.management.imports import import_user, report_import
from sambang.personnel.models import Officer, User


def _as(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        help="act as this supervisor or administrator, within their scope (default: the "
        "operator, who may create any account)",
    )


class Command(BaseCommand):
    help = (
        "Create accounts without a password, each with a one-time activation (a link and a "
        "code, valid SAMBANG_ACTIVATION_DAYS days) that its holder opens to choose the "
        "password and, for supervisors, set up two-factor authentication. Links start with "
        "SAMBANG_SITE_URL when it is set."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create one account.")
        create.add_argument("--nrp", help="an officer's NRP: the officer's account")
        create.add_argument("--username", help="a supervisor's username")
        create.add_argument("--role", help="polsek, polres, polda, national or admin")
        create.add_argument("--unit", default="", help="the supervisor's unit code")
        create.add_argument("--name", default="", help="the supervisor's name")
        _as(create)
        bulk = sub.add_parser(
            "import",
            help="Create accounts from CSV or XLSX: rows with nrp (officers), or with "
            "username, role, unit and optionally name (supervisors). Nothing is created "
            "when any row is invalid.",
        )
        bulk.add_argument("file", type=Path)
        bulk.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        _as(bulk)
        again = sub.add_parser(
            "reissue",
            help="A new activation for an existing account (lost link, or a reset); the "
            "unused earlier one stops working.",
        )
        again.add_argument("username")
        _as(again)
        enrol = sub.add_parser(
            "enrol",
            help="A two-factor enrolment link for an existing account without an "
            "authenticator (new, or reset): its holder enters the password and sets up the "
            "authenticator; the unused earlier link stops working.",
        )
        enrol.add_argument("username")
        _as(enrol)

    def handle(self, *args: Any, **options: Any) -> None:
        by = import_user(options["as_user"]) if options["as_user"] else None
        try:
            if options["action"] == "create":
                self._print([self._create(by, options)])
            elif options["action"] in ("reissue", "enrol"):
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"No user {options['username']!r}.")
                issue = (
                    provisioning.activation_issue
                    if options["action"] == "reissue"
                    else enrolment.enrolment_issue
                )
                self._print([issue(user=user, by=by)])
            else:
                result = provisioning.accounts_import(
                    path=options["file"], user=by, dry_run=options["dry_run"]
                )
                report_import(self, result, "accounts")
                self._print(result.activations)
        except ApplicationError as error:
            raise CommandError(error_text(error)) from error

    def _create(self, by: User | None, options: dict[str, Any]) -> IssuedActivation:
        if options["nrp"]:
            officer = Officer.objects.select_related("unit").filter(nrp=options["nrp"]).first()
            if officer is None:
                raise CommandError(f"No officer with NRP {options['nrp']!r}.")
            return provisioning.account_create(by=by, officer=officer)
        if not (options["username"] and options["role"]):
            raise CommandError("Give --nrp, or --username and --role (and --unit).")
        return provisioning.account_create(
            by=by,
            username=options["username"],
            role=options["role"],
            unit=provisioning.unit_named(options["unit"]),
            name=options["name"],
        )

    def _print(self, issued: list[IssuedActivation]) -> None:
        if not issued:
            return
        self.stdout.write("username\tcode\tlink\tvalid until")
        for item in issued:
            self.stdout.write(
                f"{item.user.username}\t{item.printable_code}\t"
                f"{settings.SAMBANG_SITE_URL}{item.path}\t"
                f"{timezone.localtime(item.activation.expires_at):%Y-%m-%d %H:%M %Z}"
            )
