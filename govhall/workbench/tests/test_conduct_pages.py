"""Pages of the code of conduct and badges (issue 21 item 3): the code (managers edit and
publish, everyone reads), the A4 print, "I have read it" from the home card, who has read it,
badges with the issue form and the printable card, and the patrol checklist's code lines."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.core.models import User
from govhall.org.models import Center, Department
from govhall.staffing.models.conduct import Badge, ConductAcknowledgement, ConductRule
from govhall.staffing.services.conduct import conduct_code_publish, conduct_defaults_load
from govhall.supervision.services.patrols import patrol_round_start
from govhall.testing.patrols import make_desk, workday_today

pytestmark = pytest.mark.django_db

CODE = reverse("workbench:conduct_code")


def test_director_loads_publishes_and_prints_the_code(client_as, director: User, county: Center):  # type: ignore[no-untyped-def]
    client = client_as(director)
    page = client.get(CODE).content.decode()
    assert 'id="load-defaults"' in page and 'id="not-published"' in page
    client.post(CODE, {"center": county.pk, "action": "defaults"})
    assert ConductRule.objects.filter(center=county).count() > 20
    client.post(CODE, {"center": county.pk, "action": "publish"})
    page = client.get(CODE).content.decode()
    assert "不怠慢、顶撞、训斥办事群众" in page and 'id="publish"' in page
    printed = client.get(reverse("workbench:conduct_print") + f"?center={county.pk}")
    assert printed.status_code == 200 and 'data-revision="1"' in printed.content.decode()
    # Bad input: an empty line changes nothing and says so.
    count = ConductRule.objects.count()
    refused = client.post(CODE, {"center": county.pk, "action": "add", "section": "x", "text": ""})
    assert refused.status_code == 200 and ConductRule.objects.count() == count


def test_clerk_reads_and_confirms_from_the_home_card(  # type: ignore[no-untyped-def]
    client_as, director: User, clerk: User, county: Center
):
    conduct_defaults_load(actor=director, center=county)
    conduct_code_publish(actor=director, center=county)
    client = client_as(clerk)
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'id="conduct-due-card"' in home
    assert client.post(CODE, {"center": county.pk, "action": "publish"}).status_code == 404
    client.post(reverse("workbench:conduct_acknowledge"))
    assert ConductAcknowledgement.objects.filter(user=clerk, revision=1).exists()
    assert 'id="conduct-due-card"' not in client.get(reverse("workbench:home")).content.decode()
    # Who has read it: for those who oversee staff, not for the clerk.
    assert client.get(reverse("workbench:conduct_reads")).status_code == 404
    reads = client_as(director).get(reverse("workbench:conduct_reads")).content.decode()
    assert f'data-user="{clerk.pk}"' in reads


def test_badges_issue_and_print_card(  # type: ignore[no-untyped-def]
    client_as, director: User, clerk: User, outsider: User, county: Center
):
    client = client_as(director)
    badges = reverse("workbench:badges")
    client.post(badges + f"?center={county.pk}", {"user": clerk.pk})
    badge = Badge.objects.get(user=clerk)
    card = client.get(reverse("workbench:badge_card", args=[badge.pk])).content.decode()
    assert badge.number in card and "@page { size: 54mm 86mm" in card
    assert client.get(badges).status_code == 200
    outside = client_as(outsider)
    assert outside.get(reverse("workbench:badge_card", args=[badge.pk])).status_code == 404
    assert client_as(clerk).get(badges).status_code == 404
    # 挂牌上岗: the public page shows the badge number.
    posts = client.get(reverse("portal:disclosure_posts", args=[county.code]))
    assert posts.status_code == 200


def test_patrol_checklist_offers_the_code_lines(  # type: ignore[no-untyped-def]
    client_as, director: User, county: Center, department: Department
):
    desk = make_desk(county, department, 1, "1")
    conduct_defaults_load(actor=director, center=county)
    conduct_code_publish(actor=director, center=county)
    workday_today(county)
    patrol_round = patrol_round_start(actor=director, center=county)
    page = client_as(director).get(
        reverse("workbench:patrol_window", args=[patrol_round.pk, desk.window.pk])
    )
    text = page.content.decode()
    assert 'id="code-points"' in text and "“有牌子，自己看”" in text
