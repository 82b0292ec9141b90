"""Demo online cases of the demo citizen (issue 19 item 2, 同步预审 and supplements online):

- a joint item applied for online, waiting for pre-review by the lead department and the
  participating ones — one of them has already passed, so the lead window's pass button shows
  who is still missing;
- an online application for which the window asked for a supplement (one-time notice): the
  citizen (13900000001, `online_accounts.ONLINE_DEMO_PASSWORD`) uploads it on their page.

Made through the services (`case_submit_online`, `prereview_task_decide`, `case_act`), never by
writing rows. Idempotent: nothing happens when the citizen has these cases already, or before
the demo accounts exist."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef

from govhall.cases.models import Case, PrereviewTask
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import ApplicantData, MaterialCheck, case_submit_online
from govhall.cases.services.prereview import prereview_task_decide
from govhall.cases.statuses import PrereviewStatus
from govhall.catalog.models import ItemWindow, ServiceItem
from govhall.cli.demo.online_accounts import CITIZEN_PHONE
from govhall.core.models import User
from govhall.core.roles import PREREVIEW_TASK_ROLES
from govhall.online.models import AccountKind, ApplicantAccount
from govhall.org.models import Post

KEY_JOINT = "demo-online-joint"
KEY_SUPPLEMENT = "demo-online-supplement"


def _online_items() -> list[ServiceItem]:
    served = Exists(ItemWindow.objects.filter(item=OuterRef("pk"), window__is_active=True))
    return list(
        ServiceItem.objects.filter(served, is_active=True, online_available=True)
        .prefetch_related("joint_departments")
        .order_by("center__path", "id")
    )


def _data(account: ApplicantAccount) -> ApplicantData:
    applicant = account.applicant
    assert applicant is not None
    return ApplicantData(
        kind=applicant.kind,
        name=applicant.name,
        id_number=applicant.id_number,
        phone=applicant.phone or account.phone,
        legal_representative=applicant.legal_representative,
    )


def _submit(item: ServiceItem, data: ApplicantData, key: str) -> Case:
    checks = [MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()]
    case, _created = case_submit_online(
        actor=None,  # type: ignore[arg-type]  # submitted by the applicant online
        item=item,
        applicant=data,
        materials=checks,
        idempotency_key=key,
    )
    return case


def _window_staff(item: ServiceItem, department_id: int | None = None) -> list[User]:
    """The window staff of a department of the item's center (the lead's by default), the
    staff of the item's windows' posts first."""
    department = department_id or item.department_id
    posts = Post.objects.filter(window__item_windows__item=item).select_related(
        "a_staff", "b_staff"
    )
    at_posts = [p.a_staff for p in posts if p.a_staff] + [p.b_staff for p in posts if p.b_staff]
    staff = list(
        User.objects.filter(
            staff__department_id=department,
            staff__center_id=item.center_id,
            groups__name__in=[r.value for r in PREREVIEW_TASK_ROLES],
            is_active=True,
        )
        .distinct()
        .order_by("id")
    )
    if department_id is not None:
        return staff
    return [*at_posts, *[p for p in staff if p not in at_posts]]


def _superuser() -> User | None:
    return User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()


def _first_that_works(people: list[User], act: object) -> bool:
    for person in people:
        try:
            act(person)  # type: ignore[operator]
        except ValidationError:
            continue
        return True
    return False


@transaction.atomic
def load_demo_online_cases() -> int:
    """Returns how many cases were made."""
    account = (
        ApplicantAccount.objects.filter(kind=AccountKind.PERSON, phone=CITIZEN_PHONE)
        .select_related("applicant")
        .first()
    )
    if account is None or account.applicant is None:
        return 0
    if Case.objects.filter(idempotency_key__in=[KEY_JOINT, KEY_SUPPLEMENT]).exists():
        return 0
    items = _online_items()
    joint = next((i for i in items if i.joint_departments.exclude(pk=i.department_id)), None)
    plain = next((i for i in items if not i.joint_departments.exists()), None)
    data = _data(account)
    made = 0
    if joint is not None:
        case = _submit(joint, data, KEY_JOINT)
        made += 1
        task = (
            PrereviewTask.objects.filter(case=case, is_lead=False, status=PrereviewStatus.PENDING)
            .order_by("id")
            .first()
        )
        if task is not None:
            people = _window_staff(joint, task.department_id)
            superuser = _superuser()
            _first_that_works(
                [*people, *([superuser] if superuser else [])],
                lambda person: prereview_task_decide(
                    actor=person, task=task, passed=True, opinion="材料齐全，同意。"
                ),
            )
    if plain is not None:
        case = _submit(plain, data, KEY_SUPPLEMENT)
        made += 1
        first = case.materials.order_by("position", "id").first()
        if first is not None:
            people = _window_staff(plain)
            superuser = _superuser()
            params = action_params(
                "request_supplement",
                {"missing": [first.pk], "extra": []},
            )
            _first_that_works(
                [*people, *([superuser] if superuser else [])],
                lambda person: case_act(
                    actor=person,
                    case=Case.objects.get(pk=case.pk),
                    action="request_supplement",
                    params=params,
                    note="上传的材料不清晰，请重新上传。",
                ),
            )
    return made


def demo_online_case_summary() -> dict[str, str]:
    """{key: status} of the demo online cases (for the demo's tests)."""
    rows = Case.objects.filter(idempotency_key__in=[KEY_JOINT, KEY_SUPPLEMENT]).values_list(
        "idempotency_key", "status"
    )
    return {str(key): status for key, status in rows}
