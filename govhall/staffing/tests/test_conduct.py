"""The code of conduct and badges (issue 21 item 3): lines changed only by the center's
managers, the standard code from the seeds into an empty code, publication as revisions, the
staff member's reading of the current revision, badge numbers per center, and 挂牌上岗."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import Event, User
from govhall.core.validation import Conflict
from govhall.org.models import Center, Department
from govhall.staffing.conduct_defaults import DEFAULT_CODE
from govhall.staffing.models.conduct import Badge, ConductRule
from govhall.staffing.queries.conduct import (
    acknowledgements,
    conduct_due,
    has_unpublished_changes,
    patrol_rules,
    published_code,
)
from govhall.staffing.queries.public_posts import public_windows
from govhall.staffing.services.conduct import (
    badge_issue,
    badge_withdraw,
    conduct_acknowledge,
    conduct_code_publish,
    conduct_defaults_load,
    conduct_rule_add,
    conduct_rule_edit,
    conduct_rule_reorder,
    conduct_rule_retire,
)
from govhall.testing.factories import PostFactory, WindowFactory

pytestmark = pytest.mark.django_db


def test_standard_code_loads_the_seeds_lines_once(director: User, county: Center) -> None:
    count = conduct_defaults_load(actor=director, center=county)
    assert count == len(DEFAULT_CODE)
    texts = set(ConductRule.objects.filter(center=county).values_list("text", flat=True))
    assert "不怠慢、顶撞、训斥办事群众" in texts  # 八不准 (1), seeds/000… 四5
    assert "“有牌子，自己看”" in texts  # a forbidden sentence of seeds/002… 四(二)
    with pytest.raises(Conflict):
        conduct_defaults_load(actor=director, center=county)
    assert ConductRule.objects.filter(center=county).count() == count


def test_only_managers_of_the_center_change_the_code(
    director: User, clerk: User, outsider: User, county: Center
) -> None:
    for actor in (clerk, outsider):
        with pytest.raises(ValidationError):
            conduct_rule_add(actor=actor, center=county, section="polite", text="您好")
    assert not ConductRule.objects.exists()
    with pytest.raises(ValidationError) as refused:
        conduct_rule_add(actor=director, center=county, section="nonsense", text="")
    assert set(refused.value.message_dict) == {"section", "text"}


def test_lines_edit_move_retire_and_publish_as_revisions(
    director: User, clerk: User, county: Center
) -> None:
    first = conduct_rule_add(actor=director, center=county, section="polite", text="您好！")
    second = conduct_rule_add(
        actor=director, center=county, section="polite", text="请稍候", is_patrol_point=True
    )
    with pytest.raises(ValidationError):
        conduct_code_publish(actor=clerk, center=county)
    code = conduct_code_publish(actor=director, center=county)
    assert code.revision == 1
    with pytest.raises(Conflict):  # nothing changed
        conduct_code_publish(actor=director, center=county)
    assert not has_unpublished_changes(county)
    conduct_rule_reorder(actor=director, rule=second, direction="up")
    assert has_unpublished_changes(county)  # the order is part of the code
    conduct_rule_edit(
        actor=director,
        rule=first,
        section="polite",
        text="您好！请问办什么事？",
        is_patrol_point=False,
    )
    # Staff still read revision 1 until the next publication.
    published = published_code(county)
    assert published is not None
    assert [line.text for line in published.sections[0].lines] == ["您好！", "请稍候"]
    assert conduct_code_publish(actor=director, center=county).revision == 2
    published = published_code(county)
    assert published is not None
    assert [line.text for line in published.sections[0].lines] == ["请稍候", "您好！请问办什么事？"]
    assert [rule.pk for rule in patrol_rules(county.pk)] == [second.pk]
    conduct_rule_retire(actor=director, rule=second)
    with pytest.raises(Conflict):
        conduct_rule_retire(actor=director, rule=second)
    assert patrol_rules(county.pk) == []  # a retired line is no patrol point any more
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"conduct_rule.add", "conduct_code.publish", "conduct_rule.retire"} <= actions


def test_staff_read_the_current_revision(
    director: User, clerk: User, window_head: User, county: Center
) -> None:
    assert conduct_due(clerk) is None  # nothing published yet
    with pytest.raises(ValidationError):
        conduct_acknowledge(actor=clerk)
    conduct_rule_add(actor=director, center=county, section="bans", text="不串岗聊天")
    conduct_code_publish(actor=director, center=county)
    assert conduct_due(clerk) is not None
    ack = conduct_acknowledge(actor=clerk)
    assert ack.revision == 1
    assert conduct_acknowledge(actor=clerk).pk == ack.pk  # once per revision
    assert conduct_due(clerk) is None
    rows = {row.user.pk: row.read_at for row in acknowledgements(county, 1)}
    assert rows[clerk.pk] is not None and rows[window_head.pk] is None
    conduct_rule_add(actor=director, center=county, section="bans", text="不大声喧哗")
    conduct_code_publish(actor=director, center=county)
    assert conduct_due(clerk) is not None  # a new revision is read again


def test_badge_numbers_per_center_and_on_the_public_window_page(
    director: User,
    clerk: User,
    window_head: User,
    outsider: User,
    county: Center,
    department: Department,
    django_assert_num_queries: Any,
) -> None:
    with pytest.raises(ValidationError):
        badge_issue(actor=outsider, user=clerk)
    first = badge_issue(actor=director, user=clerk)
    second = badge_issue(actor=director, user=window_head)
    assert (first.number, second.number) == (
        f"{county.code.upper()}-0001",
        f"{county.code.upper()}-0002",
    )
    with pytest.raises(Conflict):
        badge_issue(actor=director, user=clerk)
    badge_withdraw(actor=director, badge=first)
    with pytest.raises(Conflict):
        badge_withdraw(actor=director, badge=first)
    again = badge_issue(actor=director, user=clerk)
    assert again.number.endswith("-0003")  # a number is never reused
    assert Badge.objects.filter(user=clerk, withdrawn_on__isnull=True).get() == again

    window = WindowFactory(center=county, number=3)
    PostFactory(window=window, a_staff=clerk, b_staff=window_head)
    PostFactory(window=WindowFactory(center=county, number=4), a_staff=director)
    with django_assert_num_queries(3):  # windows, posts, badges: whatever the hall's size
        shown, _other = public_windows(county)
    assert shown.posts[0].a is not None and shown.posts[0].a.badge_number == again.number
    assert shown.posts[0].b is not None and shown.posts[0].b.badge_number == second.number
