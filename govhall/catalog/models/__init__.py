"""The public catalog of service items (SPEC §5), one module per topic.

Django finds the models here, with their choices; constants are imported from their module.
"""

from govhall.catalog.models.bundle import Bundle, BundleItem
from govhall.catalog.models.fee import FeeItem
from govhall.catalog.models.form_field import FieldType, FormField
from govhall.catalog.models.item import ItemType, ServiceItem, ServiceItemQuerySet
from govhall.catalog.models.item_window import Authorization, ItemWindow
from govhall.catalog.models.joint_days import JointDepartmentDays
from govhall.catalog.models.material import Material
from govhall.catalog.models.standard import ReviewState, StandardReview

__all__ = [
    "Authorization",
    "Bundle",
    "BundleItem",
    "FeeItem",
    "FieldType",
    "FormField",
    "ItemType",
    "ItemWindow",
    "JointDepartmentDays",
    "Material",
    "ReviewState",
    "ServiceItem",
    "ServiceItemQuerySet",
    "StandardReview",
]
