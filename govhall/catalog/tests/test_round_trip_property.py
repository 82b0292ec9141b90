"""Property: export then import into the emptied center gives any valid catalog back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.catalog.models import ItemType, Material, ServiceItem
from govhall.catalog.services.fees import fee_add
from govhall.catalog.services.imports import import_catalog
from govhall.catalog.services.item_windows import item_window_set
from govhall.catalog.services.items import item_create
from govhall.catalog.services.materials import material_add
from govhall.catalog.spreadsheet.exporting import export_catalog
from govhall.catalog.step_limits import LIMIT_FIELDS
from govhall.testing.catalog_sheets import snapshot
from govhall.testing.factories import WindowFactory

pytestmark = pytest.mark.django_db

# Real text: no control characters, surrogates, private-use or unassigned code points.
CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co"))
line = st.text(CHARACTERS, max_size=30)
required_line = line.filter(lambda text: text.strip())
paragraphs = st.lists(line, max_size=3).map("\n".join)


@st.composite
def items(draw: Any) -> dict[str, Any]:
    legal = draw(st.integers(0, 999))
    on_the_spot = draw(st.booleans())
    promised = draw(st.integers(0, min(legal, 1 if on_the_spot else legal)))
    return {
        "name": draw(required_line),
        "item_type": draw(st.sampled_from(ItemType.values)),
        "legal_days": legal,
        "promised_days": promised,
        "on_the_spot": on_the_spot,
        "online_available": draw(st.booleans()),
        "visits_required": draw(st.integers(0, 2)),
        "basis": draw(paragraphs),
        "conditions": draw(paragraphs),
        "procedure": draw(paragraphs),
        "place": draw(line),
        "phone": draw(st.text("0123456789-", max_size=20)),
        "deciding_level": draw(st.sampled_from(["", "city", "province"])),
        "overdue_defaults_to_approval": draw(st.booleans()),
        "is_active": draw(st.booleans()),
        **{name: draw(st.none() | st.integers(1, 60)) for name in LIMIT_FIELDS},
        "materials": draw(
            st.lists(
                st.tuples(
                    required_line,
                    st.booleans(),
                    st.sampled_from(Material.Form.values),
                    st.integers(1, 99),
                    line,
                    line,
                ),
                max_size=3,
            )
        ),
        "fees": draw(
            st.lists(
                st.tuples(
                    required_line,
                    st.decimals(Decimal("0.01"), Decimal("99999.99"), places=2),
                    required_line.map(lambda text: text[:32]),
                    required_line,
                ),
                max_size=2,
            )
        ),
        "window": draw(st.sampled_from([None, ("full", 1), ("limited", 2)])),
        "joint": draw(st.booleans()),
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(catalog=st.lists(items(), min_size=1, max_size=3))
def test_export_import_round_trip(catalog, county, department, other_department, director):
    ServiceItem.objects.filter(center=county).delete()
    windows = {
        n: county.windows.filter(number=n).first() or WindowFactory(center=county, number=n)
        for n in (1, 2)
    }
    for index, spec in enumerate(catalog):
        spec = dict(spec)
        materials, fees, window, joint = (
            spec.pop("materials"),
            spec.pop("fees"),
            spec.pop("window"),
            spec.pop("joint"),
        )
        item = item_create(
            actor=director,
            center=county,
            department=department,
            code=f"H{index}",
            joint_departments=[other_department] if joint else [],
            **spec,
        ).item
        for name, is_main, form, copies, source, note in materials:
            material_add(
                actor=director,
                item=item,
                name=name,
                is_main=is_main,
                form=form,
                copies=copies,
                source=source,
                note=note,
            )
        for name, amount, unit, basis in fees:
            fee_add(
                actor=director,
                item=item,
                name=name,
                standard_amount=amount,
                unit=unit,
                standard_basis=basis,
            )
        if window is not None:
            authorization, number = window
            item_window_set(
                actor=director, item=item, window=windows[number], authorization=authorization
            )
    before = snapshot(county)
    exported = export_catalog(county)
    ServiceItem.objects.filter(center=county).delete()
    outcome = import_catalog(actor=director, center=county, source=exported)
    assert outcome.ok, outcome.problems
    assert snapshot(county) == before
