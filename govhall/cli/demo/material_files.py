"""Demo blank forms and filled-in samples (issue 18 item 5): the first material of the county's
first published items gets a one-page PDF blank form and a sample, through the catalog service
(content-checked, an event each). Idempotent: only materials without a file get one."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.catalog.models import Material
from govhall.catalog.services.material_files import material_file_attach
from govhall.cli.demo.departments import COUNTY_CODE

ITEMS_WITH_FILES = 6


def one_page_pdf(title: str) -> bytes:
    """A valid one-page A4 PDF showing `title` (ASCII) in Helvetica."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def load_demo_material_files() -> int:
    """Attach the demo files; returns how many were attached."""
    firsts = (
        Material.objects.filter(item__center__code=COUNTY_CODE, item__is_active=True, position=0)
        .select_related("item")
        .order_by("item__code")[:ITEMS_WITH_FILES]
    )
    attached = 0
    for material in firsts:
        for slot, title in (("blank_form", "Blank form"), ("sample", "Filled-in sample")):
            if getattr(material, slot):
                continue
            pdf = one_page_pdf(f"{title} - {material.item.code}")
            material_file_attach(
                actor=None,
                material=material,
                slot=slot,
                upload=SimpleUploadedFile(f"{slot}.pdf", pdf, content_type="application/pdf"),
            )
            attached += 1
    return attached
