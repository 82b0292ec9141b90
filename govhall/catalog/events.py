"""Every event name the catalog writes, with what a timeline shows for it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogEvent(models.TextChoices):
    ITEM_CREATE = "item.create", _("Item created")
    ITEM_UPDATE = "item.update", _("Item changed")
    ITEM_PUBLISH = "item.publish", _("Item published in the public guides")
    ITEM_UNPUBLISH = "item.unpublish", _("Item hidden from the public guides")
    ITEM_IMPORT = "item.import", _("Item imported from a spreadsheet")
    ITEM_SET_JOINT_DAYS = "item.set_joint_days", _("Joint departments' time limits set")
    MATERIAL_ADD = "material.add", _("Material added")
    MATERIAL_UPDATE = "material.update", _("Material changed")
    MATERIAL_REMOVE = "material.remove", _("Material removed")
    MATERIAL_REORDER = "material.reorder", _("Materials reordered")
    # Issue 18 item 5: the blank form and the filled-in sample a material offers for download.
    MATERIAL_FILE_ATTACH = "material_file.attach", _("Form or sample of a material uploaded")
    MATERIAL_FILE_REMOVE = "material_file.remove", _("Form or sample of a material removed")
    # Issue 19 item 2: the online application form of an item.
    FORM_FIELD_ADD = "form_field.add", _("Form field added")
    FORM_FIELD_UPDATE = "form_field.update", _("Form field changed")
    FORM_FIELD_REMOVE = "form_field.remove", _("Form field removed")
    FORM_FIELD_MOVE = "form_field.move", _("Form field moved")
    FEE_ADD = "fee.add", _("Fee added")
    FEE_UPDATE = "fee.update", _("Fee changed")
    FEE_REMOVE = "fee.remove", _("Fee removed")
    ITEM_WINDOW_SET = "item_window.set", _("Window of the item set")
    ITEM_WINDOW_REMOVE = "item_window.remove", _("Window of the item removed")
    CATALOG_IMPORT = "catalog.import", _("Catalog imported from a spreadsheet")
    # Issue 19 item 5: 一件事一次办 bundles.
    BUNDLE_CREATE = "bundle.create", _("Bundle created")
    BUNDLE_UPDATE = "bundle.update", _("Bundle changed")
    BUNDLE_PUBLISH = "bundle.publish", _("Bundle published")
    BUNDLE_UNPUBLISH = "bundle.unpublish", _("Bundle hidden")
    # Issue 21 item 5: one item list across levels (the county's standard, local adoptions).
    STANDARD_REVISE = "standard.revise", _("Standard item changed; adopting items to review")
    STANDARD_ADOPT = "standard.adopt", _("Standard item adopted")
    STANDARD_MATERIAL_RESTORE = "standard.material_restore", _("Material of the standard restored")
    STANDARD_REVIEW_APPLY = "standard.review_apply", _("Change of the standard applied")
    STANDARD_REVIEW_KEEP = "standard.review_keep", _("Local deviation kept after a standard change")
