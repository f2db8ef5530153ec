"""``sambang chat clean``: drop what chats left unfinished (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sambang.chat.services import chat_clean


class Command(BaseCommand):
    help = (
        "The chat channels. clean: drop the residents' reports left unfinished in a chat "
        "(and their photos) and the officers' quick reports too old to become a report "
        "(run it daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("clean", help="Drop unfinished conversations and expired quick reports.")

    def handle(self, *args: Any, **options: Any) -> None:
        cleaned = chat_clean()
        self.stdout.write(
            self.style.SUCCESS(
                f"Dropped {cleaned.conversations} unfinished conversations "
                f"({cleaned.photos} photos) and {cleaned.quick_reports} expired quick reports."
            )
        )
