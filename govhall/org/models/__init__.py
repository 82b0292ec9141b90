"""Centers, departments, windows, posts and staff (SPEC §3), one module per topic.

Django finds the models here; everything else (levels, querysets) is imported from its module.
"""

from govhall.org.models.centers import Center
from govhall.org.models.departments import Department
from govhall.org.models.staff import Staff
from govhall.org.models.windows import Post, Window

__all__ = ["Center", "Department", "Post", "Staff", "Window"]
