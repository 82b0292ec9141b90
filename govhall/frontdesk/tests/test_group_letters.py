"""Group letters read from across the hall (issue 17 item 10): I, O, S and Z, which read as 1, 0,
5 and 2 on the display board, are refused with a clear message, and groups built from the
catalog skip them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from govhall.frontdesk.models import ServiceGroup
from govhall.frontdesk.services.groups import group_create, group_update, groups_build
from govhall.testing.factories import (
    DepartmentFactory,
    ItemWindowFactory,
    ServiceItemFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("letter", ["I", "O", "S", "Z", "AO", "io"])
def test_digit_like_letters_are_refused(director, county, letter):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        group_create(actor=director, center=county, letter=letter, name="综合")
    assert "read as the digits 1, 0, 5 and 2" in str(refused.value.message_dict["letter"])
    assert not ServiceGroup.objects.exists()


def test_other_letters_pass_and_an_old_group_keeps_its_letter(director, county):
    group = group_create(actor=director, center=county, letter="H", name="综合")
    ServiceGroup.objects.filter(pk=group.pk).update(letter="O")  # made before the rule
    group.refresh_from_db()
    group_update(actor=director, group=group, name="综合受理")  # its other fields still change
    with pytest.raises(ValidationError):
        group_update(actor=director, group=group, letter="I")


def test_the_group_page_says_why(client_as, director, county):
    response = client_as(director).post(
        reverse("workbench:queue_group_new") + f"?center={county.pk}",
        {
            "center": county.pk,
            "letter": "O",
            "name": "综合",
            "slot_minutes": 30,
            "slot_capacity": 4,
            "position": 0,
        },
    )
    assert response.status_code == 400
    assert "显示屏" in response.content.decode()


def test_built_groups_skip_digit_like_letters(director, county):
    window = WindowFactory(center=county, number=1)
    for n in range(20):
        department = DepartmentFactory(center=county, code=f"D{n:02d}", name=f"部门{n}")
        item = ServiceItemFactory(center=county, department=department)
        ItemWindowFactory(item=item, window=window)
    built = groups_build(actor=director, center=county)
    letters = [group.letter for group in built]
    assert len(letters) == 20 and not set(letters) & set("IOSZ")
