"""The workbench home counts what the user may see, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.testing.factories import ServiceItemFactory, WindowFactory
from govhall.workbench.queries import home_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(county, town, department, other_department):
    for n in range(3):
        ServiceItemFactory(center=county, department=department, online_available=n == 0)
    ServiceItemFactory(center=county, department=other_department)
    window = WindowFactory(center=county, number=1)
    window.departments.add(department)
    WindowFactory(center=county, number=2).departments.add(other_department)


def test_director_counts_the_whole_subtree(director, hall):
    with CaptureQueriesContext(connection) as queries:
        figures = home_figures(director)
    assert figures == {"centers": 2, "departments": 2, "windows": 2, "items": 4, "online_items": 1}
    assert len(queries) <= 6


def test_department_clerk_counts_only_their_department(clerk, hall):
    figures = home_figures(clerk)
    assert figures["departments"] == 1
    assert figures["windows"] == 1
    assert figures["items"] == 3


def test_outsider_counts_nothing_of_another_county(outsider, hall):
    assert home_figures(outsider) == {
        "centers": 1,
        "departments": 0,
        "windows": 0,
        "items": 0,
        "online_items": 0,
    }


def test_home_page_shows_the_figures(client_as, director, hall):
    page = client_as(director).get("/staff/").content.decode()
    assert '<div class="figure">4</div>' in page
