"""``sambang db_worker``: django-tasks' database worker, which first recovers the exports
whose worker died (killed mid-way), then keeps doing so every half lease while it runs."""

from __future__ import annotations

import threading
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from sambang.exports.services import exports_recover, exports_recover_forever


class Command(DatabaseWorkerCommand):
    help = (
        "Run background jobs (large exports). At start, and every half "
        "SAMBANG_EXPORT_LEASE_SECONDS, exports whose worker stopped are queued again or "
        "marked failed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for job in exports_recover():
            self.stdout.write(f"Export {job.pk}: worker lost; now {job.status}.")
        if not options["batch"]:
            stop = threading.Event()
            threading.Thread(
                target=exports_recover_forever,
                kwargs={"stop": stop},
                name="exports-recover",
                daemon=True,
            ).start()
        super().handle(*args, **options)
