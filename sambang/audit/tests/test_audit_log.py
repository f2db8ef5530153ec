"""The audit log is append-only: no interface, and on PostgreSQL not even SQL, changes it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from sambang.audit.models import AuditAction, AuditEvent
from sambang.audit.services import audit_record
from sambang.personnel.models import Role
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world: World) -> AuditEvent:
    return audit_record(
        user=world.users[Role.POLSEK],
        action=AuditAction.VIEW_RESTRICTED,
        target=world.officers["polsek_a1a"],
        reason="test",
    )


def test_an_event_records_who_what_and_which_record(world: World, event: AuditEvent) -> None:
    assert (event.username, event.object_type, event.object_id) == (
        world.users[Role.POLSEK].username,
        "personnel.officer",
        str(world.officers["polsek_a1a"].pk),
    )
    assert event.detail == {"reason": "test"}


def test_events_are_never_changed_or_deleted_through_the_orm(event: AuditEvent) -> None:
    event.action = AuditAction.DELETE
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get().action == AuditAction.VIEW_RESTRICTED


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_postgresql_refuses_sql_that_changes_an_event(event: AuditEvent) -> None:
    for sql in ("UPDATE audit_auditevent SET action = 'delete'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql)
    assert AuditEvent.objects.count() == 1


def test_administrators_read_the_log_but_cannot_edit_it(world: World, event: AuditEvent) -> None:
    admin = world.users[Role.ADMIN]
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(admin)
    assert event.username in client.get("/admin/audit/auditevent/").content.decode()
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "delete"})
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.VIEW_RESTRICTED
    supervisor = Client()
    supervisor.force_login(world.users[Role.POLDA])
    assert supervisor.get("/admin/audit/auditevent/").status_code == 302
