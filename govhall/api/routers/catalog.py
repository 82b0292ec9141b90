"""Public catalog API: the published service guides of every active center (no login).

The same reads as the public guide pages (`catalog.queries.guides.guide_search` /
`published_guide`), so the portal and the API always agree.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from govhall.api.public_reads import public_read_limited
from govhall.api.schemas import MAX_OFFSET, Code, ErrorOut, Search, rate_limited
from govhall.catalog.models import ItemType, ServiceItem
from govhall.catalog.queries.bundles import (
    bundle_items,
    bundle_refusal,
    merged_materials,
    public_bundles,
)
from govhall.catalog.queries.guides import guide_search, public_centers, published_guide

router = Router()
MAX_BUNDLES = 200

MAX_PAGE_SIZE = 200


class CenterRef(Schema):
    code: str = Field(description="Center code.")
    name: str


class ItemDepartmentRef(Schema):
    code: str = Field(description="Department code, unique within its center.")
    name: str


class ItemSummary(Schema):
    code: str = Field(description="Implementation code (实施编码), unique in the system.")
    name: str
    item_type: str = Field(description="One of: " + ", ".join(ItemType.values) + ".")
    item_type_label: str = Field(description="The type in the request's language.")
    center: CenterRef
    department: ItemDepartmentRef
    legal_days: int = Field(description="Legal time limit in working days (法定时限).")
    promised_days: int = Field(description="Promised time limit in working days (承诺时限).")
    on_the_spot: bool = Field(description="Can be done on the spot (即办).")
    online_available: bool = Field(description="Can be applied for online.")
    visits_required: int = Field(description="Visits to the hall required: 0, 1 or 2.")
    fee_free: bool

    @staticmethod
    def resolve_item_type_label(obj: ServiceItem) -> str:
        return str(obj.get_item_type_display())


class ItemPage(Schema):
    count: int = Field(description="Items matching the filters.")
    page: int
    pages: int
    page_size: int
    items: list[ItemSummary]


class MaterialOut(Schema):
    name: str
    is_main: bool = Field(description="Main material (主件): decides return versus supplement.")
    form: str = Field(description="original, copy or both.")
    copies: int
    source: str
    note: str
    condition: str = Field(
        "",
        description="A conditional material: required only when this holds (e.g. "
        "委托代理人办理时); empty for a material every applicant brings.",
    )


class FeeOut(Schema):
    name: str
    standard_amount: Decimal = Field(
        description="Approved standard in yuan (收费标准); nothing may be charged above it."
    )
    unit: str
    standard_basis: str = Field(description="The pricing document approving the standard.")


class ItemWindowOut(Schema):
    number: int
    name: str
    location: str
    authorization: str = Field(
        description="full: decides on the spot; partial: accepts and reviews, the department "
        "approves; limited: receives and forwards."
    )


class ItemGuide(ItemSummary):
    basis: str = Field(description="Legal basis (设定依据).")
    conditions: str
    procedure: str
    place: str
    phone: str
    deciding_level: str = Field(
        description="For escalated items the center level that decides; empty otherwise."
    )
    joint_departments: list[ItemDepartmentRef]
    materials: list[MaterialOut]
    fees: list[FeeOut]
    windows: list[ItemWindowOut]

    @staticmethod
    def resolve_joint_departments(obj: ServiceItem) -> list[ItemDepartmentRef]:
        return [ItemDepartmentRef(code=d.code, name=d.name) for d in obj.joint_departments.all()]

    @staticmethod
    def resolve_windows(obj: ServiceItem) -> list[ItemWindowOut]:
        return [
            ItemWindowOut(
                number=link.window.number,
                name=link.window.name,
                location=link.window.location,
                authorization=link.authorization,
            )
            for link in obj.item_windows.all()
        ]


class ItemFilters(Schema):
    q: Search = Field("", description="Part of the name or implementation code.")
    center: Code = Field("", description="Center code; all active centers when empty.")
    department: Code = Field("", description="Department code.")
    type: ItemType | None = Field(None, description="Item type.")
    page: int = Field(1, ge=1, le=MAX_OFFSET)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


@router.get("/items", response=ItemPage, summary="Search the published service items")
def list_items(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, object]:
    center = None
    if filters.center:
        center = public_centers().filter(code=filters.center).first()
        if center is None:
            raise Http404
    items = guide_search(
        center=center,
        q=filters.q,
        item_type=filters.type.value if filters.type else None,
        department_code=filters.department,
    )
    paginator = Paginator(items, filters.page_size)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": filters.page_size,
        "items": list(page),
    }


@router.get("/items/{code}", response=ItemGuide, summary="The service guide of one published item")
def get_item(request: HttpRequest, code: Code) -> ServiceItem:
    try:
        return published_guide(code)
    except ServiceItem.DoesNotExist:
        raise Http404 from None


# --- 一件事 bundles (issue 19 item 5) ------------------------------------------------------------


class BundleItemOut(Schema):
    code: str
    name: str


class BundleMaterialOut(Schema):
    name: str
    required: bool = Field(description="Asked without a condition by at least one item")
    items: list[str] = Field(description="The items asking it (it is handed in once)")


class BundleOut(Schema):
    code: str
    name: str
    description: str
    center: str
    promised_days: int = Field(description="Working days from the first acceptance")
    online: bool = Field(description="Every item may be applied for online")
    items: list[BundleItemOut]
    materials: list[BundleMaterialOut]


@router.get(
    "/bundles",
    response={200: list[BundleOut], 429: ErrorOut},
    summary="The published 一件事 bundles of a center (or of every active center)",
    description="Rate limited like the other public reads: 429 with Retry-After beyond "
    "GOVHALL_PUBLIC_API_PER_MINUTE per client address.",
)
def list_bundles(request: HttpRequest, response: HttpResponse, center: str = "") -> object:
    limited = public_read_limited(request)  # a public read: limited per client address
    if limited is not None:
        return rate_limited(response, limited)
    chosen = None
    if center:
        chosen = public_centers().filter(code=center).first()
        if chosen is None:
            raise Http404
    return [
        {
            "code": bundle.code,
            "name": bundle.name,
            "description": bundle.description,
            "center": bundle.center.code,
            "promised_days": bundle.promised_days,
            "online": bundle_refusal(bundle, online=True) is None,
            "items": [{"code": i.code, "name": i.name} for i in bundle_items(bundle)],
            "materials": [
                {"name": m.name, "required": m.required, "items": m.item_names}
                for m in merged_materials(bundle)
            ],
        }
        for bundle in public_bundles(chosen)[:MAX_BUNDLES]
    ]
