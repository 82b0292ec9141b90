"""Patrol services: rounds, windows checked once, findings with notes and photos, and the alert a
finding raises on whoever served the window then (B when B covered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import Event, User
from govhall.core.validation import Conflict
from govhall.org.models import Center, Department
from govhall.supervision.models import Alert, PatrolFinding, PatrolRound, PatrolVisit
from govhall.supervision.services.patrols import (
    FindingDraft,
    patrol_finding_add,
    patrol_round_finish,
    patrol_round_start,
    patrol_visit_record,
)
from govhall.testing.factories import WindowFactory
from govhall.testing.patrols import (
    DAY,
    JPEG,
    PDF,
    PNG,
    SUNDAY,
    Desk,
    at,
    make_desk,
    on_leave,
    photo,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def desk(county: Center, department: Department) -> Desk:
    return make_desk(county, department, 1, "1")


def start(director: User, county: Center, hour: int = 10) -> PatrolRound:
    return patrol_round_start(actor=director, center=county, at=at(DAY, hour))


def test_round_session_follows_the_center_hours(
    director: User, supervisor: User, county: Center
) -> None:
    morning = start(director, county, 10)
    assert (morning.day, morning.session) == (DAY, "morning")
    afternoon = patrol_round_start(actor=director, center=county, at=at(DAY, 15))
    assert afternoon.session == "afternoon"
    given = patrol_round_start(
        actor=supervisor, center=county, session="afternoon", at=at(DAY, 9, 30)
    )
    assert given.session == "afternoon"
    assert Event.objects.filter(action="patrol_round.start").count() == 3


def test_supervisor_patrols_too(supervisor: User, county: Center) -> None:
    assert start(supervisor, county).inspector == supervisor


def test_round_refused_outside_scope_and_to_other_roles(
    director: User, clerk: User, dept_leader: User, county: Center, other_county: Center
) -> None:
    with pytest.raises(ValidationError) as refused:
        patrol_round_start(actor=director, center=other_county, at=at(DAY, 10))
    assert "center" in refused.value.message_dict
    for user in (clerk, dept_leader):
        with pytest.raises(ValidationError):
            start(user, county)
    assert not PatrolRound.objects.exists()


def test_round_refused_on_a_day_off(director: User, county: Center) -> None:
    with pytest.raises(ValidationError):
        patrol_round_start(actor=director, center=county, at=at(SUNDAY, 10))
    assert not PatrolRound.objects.exists()


def test_second_open_round_of_a_session_is_a_conflict(director: User, county: Center) -> None:
    start(director, county)
    with pytest.raises(Conflict):
        start(director, county, 11)


def test_visit_keeps_who_serves_and_finding_lands_on_a(
    director: User, county: Center, desk: Desk
) -> None:
    patrol = start(director, county)
    visit = patrol_visit_record(
        actor=director,
        patrol_round=patrol,
        window=desk.window,
        findings=[FindingDraft(point="dress", note="未佩戴工作牌")],
        at=at(DAY, 10, 5),
    )
    assert visit.serving == [desk.a.pk]
    finding = visit.findings.get()
    alert = Alert.objects.get(rule__code="patrol_finding.yellow")
    assert alert.subject_key == f"finding:{finding.pk}:{desk.a.pk}"
    assert alert.responsible == desk.a
    assert (alert.window, alert.occurred_on) == (desk.window, DAY)
    assert alert.department_id == desk.window.departments.get().pk
    assert Event.objects.filter(action="patrol_visit.record").count() == 1
    assert Event.objects.filter(action="patrol_finding.add").count() == 1


def test_alert_lands_on_b_when_b_covers(director: User, county: Center, desk: Desk) -> None:
    on_leave(desk.a, county, DAY)
    patrol = start(director, county)
    visit = patrol_visit_record(
        actor=director, patrol_round=patrol, window=desk.window, at=at(DAY, 10, 5)
    )
    assert visit.serving == [desk.b.pk]
    finding = patrol_finding_add(
        actor=director, visit=visit, point="phone", note="电话铃响无人接", at=at(DAY, 10, 7)
    )
    alert = Alert.objects.get(rule__code="patrol_finding.yellow")
    assert alert.responsible == desk.b
    assert alert.subject_key == f"finding:{finding.pk}:{desk.b.pk}"
    assert not Alert.objects.filter(responsible=desk.a).exists()


def test_finding_without_alert_raises_none(director: User, county: Center, desk: Desk) -> None:
    patrol = start(director, county)
    patrol_visit_record(
        actor=director,
        patrol_round=patrol,
        window=desk.window,
        findings=[FindingDraft(point="tidiness", note="桌面杂乱", raises_alert=False)],
    )
    assert PatrolFinding.objects.count() == 1
    assert not Alert.objects.exists()


def test_window_of_another_center_is_refused(
    director: User, county: Center, other_county: Center
) -> None:
    patrol = start(director, county)
    elsewhere = WindowFactory(center=other_county, number=9)
    with pytest.raises(ValidationError) as refused:
        patrol_visit_record(actor=director, patrol_round=patrol, window=elsewhere)
    assert "window" in refused.value.message_dict
    assert not PatrolVisit.objects.exists()


def test_window_twice_on_a_round_is_a_conflict(director: User, county: Center, desk: Desk) -> None:
    patrol = start(director, county)
    patrol_visit_record(actor=director, patrol_round=patrol, window=desk.window)
    with pytest.raises(Conflict):
        patrol_visit_record(actor=director, patrol_round=patrol, window=desk.window)
    assert PatrolVisit.objects.count() == 1
    # The next round may check it again.
    later = patrol_round_start(actor=director, center=county, at=at(DAY, 15))
    patrol_visit_record(actor=director, patrol_round=later, window=desk.window)
    assert PatrolVisit.objects.count() == 2


def test_failed_point_needs_a_note(director: User, county: Center, desk: Desk) -> None:
    patrol = start(director, county)
    with pytest.raises(ValidationError) as refused:
        patrol_visit_record(
            actor=director,
            patrol_round=patrol,
            window=desk.window,
            findings=[FindingDraft(point="conduct", note="  ")],
        )
    assert "conduct.note" in refused.value.message_dict
    assert not PatrolVisit.objects.exists()
    assert not Alert.objects.exists()


def test_photo_judged_by_content_not_name(
    director: User, county: Center, desk: Desk, media: Path
) -> None:
    patrol = start(director, county)
    with pytest.raises(ValidationError) as refused:
        patrol_visit_record(
            actor=director,
            patrol_round=patrol,
            window=desk.window,
            findings=[FindingDraft(point="post", note="空岗", photo=photo(PDF, "scene.jpg"))],
        )
    assert "post.photo" in refused.value.message_dict
    assert not PatrolVisit.objects.exists()
    assert not list(media.rglob("*.*"))
    visit = patrol_visit_record(
        actor=director,
        patrol_round=patrol,
        window=desk.window,
        findings=[
            FindingDraft(point="post", note="空岗", photo=photo(PNG, "evil.html")),
            FindingDraft(point="dress", note="着装", photo=photo(JPEG, "x.png")),
        ],
    )
    post, dress = visit.findings.order_by("point")[1], visit.findings.order_by("point")[0]
    assert post.photo.name.startswith("patrol/2025/") or post.photo.name.startswith("patrol/")
    assert post.photo.name.endswith(".png") and "evil" not in post.photo.name
    assert dress.photo.name.endswith(".jpg")
    assert (media / post.photo.name).read_bytes() == PNG


def test_photo_too_big_is_refused(
    director: User,
    county: Center,
    desk: Desk,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.GOVHALL_PATROL_PHOTO_MAX_BYTES = 1024
    patrol = start(director, county)
    visit = patrol_visit_record(actor=director, patrol_round=patrol, window=desk.window)
    with pytest.raises(ValidationError) as refused:
        patrol_finding_add(
            actor=director,
            visit=visit,
            point="conduct",
            note="语言生硬",
            photo=photo(PNG + b"\x00" * 2000),
        )
    assert "photo" in refused.value.message_dict
    assert not PatrolFinding.objects.exists()
    patrol_finding_add(actor=director, visit=visit, point="conduct", note="语言生硬", photo=photo())
    assert PatrolFinding.objects.count() == 1


def test_same_point_twice_is_a_conflict(director: User, county: Center, desk: Desk) -> None:
    patrol = start(director, county)
    visit = patrol_visit_record(actor=director, patrol_round=patrol, window=desk.window)
    patrol_finding_add(actor=director, visit=visit, point="conduct", note="一")
    with pytest.raises(Conflict):
        patrol_finding_add(actor=director, visit=visit, point="conduct", note="二")


def test_only_the_inspector_records_and_not_after_finishing(
    director: User, supervisor: User, county: Center, desk: Desk
) -> None:
    patrol = start(director, county)
    with pytest.raises(ValidationError):
        patrol_visit_record(actor=supervisor, patrol_round=patrol, window=desk.window)
    finished = patrol_round_finish(actor=director, patrol_round=patrol, at=at(DAY, 11))
    assert finished.finished_at == at(DAY, 11)
    with pytest.raises(Conflict):
        patrol_visit_record(actor=director, patrol_round=patrol, window=desk.window)
    with pytest.raises(Conflict):
        patrol_round_finish(actor=director, patrol_round=patrol)
    assert Event.objects.filter(action="patrol_round.finish").count() == 1
