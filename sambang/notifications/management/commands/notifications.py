"""``sambang notifications``: a new VAPID key pair, the daily digest, the overdue reminders."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sambang.notifications.channels.webpush import push_available
from sambang.notifications.digest import digest_send
from sambang.notifications.keys import new_key_pair
from sambang.notifications.services import overdue_notify


class Command(BaseCommand):
    help = (
        "Notifications: `vapid-keys` prints a new key pair for Web Push; `digest` (daily) "
        "e-mails each supervisor what waits for them; `overdue` (hourly) pushes a reminder "
        "to each supervisor whose subtree has residents' reports newly past their "
        "first-response time."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "vapid-keys",
            help="Print a new VAPID key pair, as the settings SAMBANG_VAPID_PUBLIC_KEY and "
            "SAMBANG_VAPID_PRIVATE_KEY (set SAMBANG_VAPID_SUBJECT too, e.g. "
            "mailto:admin@example.org). Subscriptions made with an older pair stop working.",
        )
        sub.add_parser(
            "digest",
            help="E-mail each active supervisor with an address, who has not unsubscribed "
            "and has something waiting, the list of it (run daily, e.g. at 06:00).",
        )
        sub.add_parser(
            "overdue",
            help="Push to each supervisor's devices a reminder of the residents' reports of "
            "their subtree past their first-response time, when one became overdue since the "
            "last reminder (run hourly: reports fall due at any hour; repeats say nothing new).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "vapid-keys":
            public, private = new_key_pair()
            self.stdout.write(f"SAMBANG_VAPID_PUBLIC_KEY={public}")
            self.stdout.write(f"SAMBANG_VAPID_PRIVATE_KEY={private}")
        elif action == "digest":
            try:
                run = digest_send()
            except OSError as error:
                raise CommandError(f"The mail server cannot be reached: {error}") from error
            self.stdout.write(
                f"Digest: {run.sent} sent, {run.nothing_waits} with nothing waiting, "
                f"{run.failed} failed."
            )
            if run.failed:
                raise CommandError(f"{run.failed} digest e-mails could not be sent.")
        elif action == "overdue":
            if not push_available():
                raise CommandError(
                    "Push is off: set SAMBANG_VAPID_PUBLIC_KEY, SAMBANG_VAPID_PRIVATE_KEY and "
                    "SAMBANG_VAPID_SUBJECT (`sambang notifications vapid-keys` makes a pair)."
                )
            self.stdout.write(f"Overdue reminders: {overdue_notify()} supervisors reminded.")
