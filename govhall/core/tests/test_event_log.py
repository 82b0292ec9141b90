import pytest
from django.db import (
    IntegrityError,
    InternalError,
    OperationalError,
    ProgrammingError,
    connection,
    transaction,
)

from govhall.core.events import record_event
from govhall.core.models import Event
from govhall.core.models.event_log import AppendOnlyError


@pytest.mark.django_db
def test_event_records_actor_object_and_center(director, county):
    event = record_event(
        actor=director, action="center.update", obj=county, center_id=county.pk, note="why"
    )
    stored = Event.objects.get(pk=event.pk)
    assert (stored.actor, stored.action, stored.object_type, stored.object_id) == (
        director,
        "center.update",
        "org.center",
        str(county.pk),
    )
    assert list(Event.objects.for_object(county).values_list("action", flat=True))[:1] == [
        "center.update"
    ]


@pytest.mark.django_db
def test_app_refuses_to_change_or_delete_events(director, county):
    event = record_event(actor=director, action="center.update", obj=county)
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
def test_database_refuses_update_behind_the_apps_back(director, county):
    event = record_event(actor=director, action="center.update", obj=county)
    with (
        pytest.raises((IntegrityError, InternalError, OperationalError, ProgrammingError)),
        transaction.atomic(),
    ):
        # Raw SQL skips the model guard: the trigger must still refuse it.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_event SET note = %s WHERE id = %s", ["rewritten", event.pk])
    assert Event.objects.get(pk=event.pk).note == ""
