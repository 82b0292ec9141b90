"""Demo public disclosure (政务公开, issue 18 item 5): the complaint and supervision phones of the
county and its towns, staff numbers (工号) for the window staff, and the county's hall notices
(policies, 便民措施) for the portal and the display board's ticker. Idempotent: filled only where
empty, notices only when the county has none."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.models import User
from govhall.frontdesk.models import HallNotice
from govhall.frontdesk.services.notices import notice_create
from govhall.org.models import Center, Staff
from govhall.org.models.centers import CenterLevel

COUNTY_PHONES = ("0571-12345", "0571-12315")  # 投诉电话, 监督电话 (县纪委监委派驻纪检组)
TOWN_PHONES = ("0571-8765%d100", "0571-8765%d110")

NOTICES = (
    (
        "周六延时服务",
        "每周六上午9:00-12:00，不动产登记、社保医保、户籍窗口照常办理（延时错时服务）。",
    ),
    (
        "免费帮办代办",
        "老年人、残疾人等特殊群体可到综合咨询台申请全程帮办代办，大厅提供免费复印、"
        "老花镜、轮椅和爱心座椅。",
    ),
    (
        "“一件事”集成服务",
        "开办企业、不动产转移登记等“一件事”可在综合受理窗口一次提交、一次办结。",
    ),
)


@transaction.atomic
def load_demo_disclosure() -> int:
    """Returns how many notices were made."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    if county is None:
        return 0
    centers = Center.objects.subtree_of(county).filter(
        level__in=(CenterLevel.COUNTY, CenterLevel.TOWN)
    )
    for n, center in enumerate(centers.order_by("path")):
        complaint, supervision = (
            COUNTY_PHONES if center.pk == county.pk else (p % n for p in TOWN_PHONES)
        )
        Center.objects.filter(pk=center.pk, complaint_phone="").update(complaint_phone=complaint)
        Center.objects.filter(pk=center.pk, supervision_phone="").update(
            supervision_phone=supervision
        )
    unnumbered = Staff.objects.filter(
        center__in=centers, is_window_staff=True, staff_number=""
    ).order_by("center__path", "user__username")
    for n, staff in enumerate(unnumbered, start=1):
        Staff.objects.filter(pk=staff.pk).update(staff_number=f"{staff.center.code[-2:]}{n:03d}")
    if HallNotice.objects.filter(center=county).exists():
        return 0
    director = User.objects.filter(username="director").first()
    if director is None:
        return 0
    start = timezone.now() - datetime.timedelta(days=3)
    for position, (title, body) in enumerate(NOTICES, start=1):
        notice_create(
            actor=director,
            center=county,
            title=title,
            body=body,
            starts_at=start,
            is_published=True,
            position=position,
        )
    return len(NOTICES)
