"""Demo of the item list across levels (issue 21 item 5, seeds/000… 篇2 二(二)): 城关镇 adopts five
of the county's standard items through the catalog's services, shortens one promised limit
(乡村建设规划许可证核发: 5 → 3 working days) and omits one material (城乡居民基本养老保险参保登记
without the household register); then the county changes the conditions of 社会保障卡申领, so
the town has one change of the standard to review. Idempotent: an adoption, a deviation or the
change already there is kept; skipped without the county, the town or the items."""

from __future__ import annotations

import logging

from django.db import transaction

from govhall.catalog.models import ServiceItem
from govhall.catalog.services.items import item_update
from govhall.catalog.services.materials import material_remove
from govhall.catalog.services.standard_list import standard_adopt
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.people import TOWN
from govhall.org.models import Center, Department

log = logging.getLogger("govhall.demo")

# (standard item's name, the town department that leads the local item)
ADOPTED = (
    ("乡村建设规划许可证核发", "NYNC"),
    ("城乡居民基本养老保险参保登记", "LDBZ"),
    ("城乡居民基本养老保险待遇申领", "LDBZ"),
    ("社会保障卡申领", "LDBZ"),
    ("居住证申领", "SHSW"),
)
SHORTER = ("乡村建设规划许可证核发", 3)
OMITTED = ("城乡居民基本养老保险参保登记", "户口")
CHANGED = (
    "社会保障卡申领",
    "已参加社会保险或需要办理社会保障卡的居民，首次申领第三代社会保障卡；"
    "16周岁以下由监护人代为申领。",
)


@transaction.atomic
def load_demo_standard_list() -> int:
    """The town's adoptions; returns how many were made now."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    town = Center.objects.filter(code=TOWN).first()
    if county is None or town is None:
        return 0
    standards = {
        item.name: item
        for item in ServiceItem.objects.filter(
            center=county, standard__isnull=True, name__in=[name for name, _ in ADOPTED]
        )
    }
    departments = {d.code: d for d in Department.objects.filter(center=town)}
    made = 0
    for name, department_code in ADOPTED:
        standard = standards.get(name)
        department = departments.get(department_code)
        if standard is None or department is None:
            log.info("demo standard list: %s or %s missing, skipped", name, department_code)
            continue
        if ServiceItem.objects.filter(center=town, standard=standard).exists():
            continue
        standard_adopt(actor=None, center=town, standards=[standard], department=department)
        made += 1
    names = {standard.pk: name for name, standard in standards.items()}
    local = {
        names[i.standard_id]: i
        for i in ServiceItem.objects.filter(center=town, standard__in=standards.values())
        if i.standard_id is not None
    }
    shorter = local.get(SHORTER[0])
    if shorter is not None and shorter.promised_days > SHORTER[1]:
        item_update(actor=None, item=shorter, promised_days=SHORTER[1])
    omitting = local.get(OMITTED[0])
    if omitting is not None:
        for material in omitting.materials.filter(name__contains=OMITTED[1]):
            material_remove(actor=None, material=material)
    changed = standards.get(CHANGED[0])
    # Other demo steps may already have raised the standard's revision (its materials' files):
    # the change is known by its text.
    if changed is not None and changed.conditions != CHANGED[1] and CHANGED[0] in local:
        item_update(actor=None, item=changed, conditions=CHANGED[1])
    return made
