"""A window with a post held by the clerk (A) and covered by the window head (B)."""

from __future__ import annotations

import pytest

from govhall.core.models import User
from govhall.org.models import Center, Department, Window
from govhall.testing.factories import PostFactory, WindowFactory


@pytest.fixture
def window(county: Center, department: Department, clerk: User, window_head: User) -> Window:
    window = WindowFactory(center=county, name="市场监管窗口", head=window_head)
    window.departments.add(department)
    PostFactory(window=window, a_staff=clerk, b_staff=window_head)
    return window
