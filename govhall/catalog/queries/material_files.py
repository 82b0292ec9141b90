"""Reading a material's blank form or filled-in sample (issue 18 item 5).

Entry points:
def published_material_file(code: str, material_id: int, slot: str) -> MaterialFile
def material_file(material: Material, slot: str) -> MaterialFile

The public reaches only the files of materials of published items of active centers; the name
comes from the database (never from the request), so no path of the request reaches the storage.
Both raise Material.DoesNotExist when there is nothing to give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from govhall.catalog.models import Material
from govhall.catalog.services.material_files import SLOTS, download_name, kind_of_stored


@dataclass(frozen=True)
class MaterialFile:
    handle: IO[bytes]
    content_type: str
    file_name: str  # what the browser saves it as (Chinese, from the material's name)


def material_file(material: Material, slot: str) -> MaterialFile:
    """The open file of `slot` of `material` (Material.DoesNotExist when none is attached)."""
    if slot not in SLOTS:
        raise Material.DoesNotExist
    field = getattr(material, slot)
    kind = kind_of_stored(field.name or "")
    if not field.name or kind is None:
        raise Material.DoesNotExist
    try:
        handle = field.open("rb")
    except (OSError, ValueError):
        raise Material.DoesNotExist from None
    return MaterialFile(
        handle=handle, content_type=kind.content_type, file_name=download_name(material, slot)
    )


def published_material_file(code: str, material_id: int, slot: str) -> MaterialFile:
    """A file of a material of the published item `code` (the public guide's downloads)."""
    material = Material.objects.select_related("item").get(
        pk=material_id,
        item__code=code,
        item__is_active=True,
        item__center__is_active=True,
    )
    return material_file(material, slot)
