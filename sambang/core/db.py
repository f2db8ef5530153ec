"""Database helpers that hold on SQLite and PostgreSQL alike."""

from __future__ import annotations

from django.db import connection, models


def refresh_statistics(*model_classes: type[models.Model]) -> None:
    """Refresh the planner's statistics after a bulk load.

    Without them, PostgreSQL scans a freshly loaded table instead of using its
    indexes until autovacuum comes round; SQLite keeps no statistics until asked.
    """
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
