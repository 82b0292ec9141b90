"""Public catalog API: the published service guides of every active center (no login); and, for
staff, the item list across levels (issue 21 item 5, below).

The same reads as the public guide pages (`catalog.queries.guides.guide_search` /
`published_guide`), so the portal and the API always agree.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from govhall.api.public_reads import public_read_limited
from govhall.api.schemas import (
    MAX_OFFSET,
    SERVICE_REFUSALS,
    Code,
    ErrorOut,
    Id,
    Search,
    field_refusal,
    rate_limited,
    service_refusal,
)
from govhall.catalog.access.scope import can_manage_catalog
from govhall.catalog.access.standard import access_adoption, access_standard_review
from govhall.catalog.models import ItemType, ServiceItem, StandardReview
from govhall.catalog.queries.bundles import (
    bundle_items,
    bundle_refusal,
    merged_materials,
    public_bundles,
)
from govhall.catalog.queries.guides import guide_search, public_centers, published_guide
from govhall.catalog.queries.standard_list import item_comparison
from govhall.catalog.services.standard_list import (
    review_actions,
    standard_adopt,
    standard_review_act,
)
from govhall.catalog.standard_transitions import ReviewAction
from govhall.core.models import User
from govhall.org.access.lookups import access_center
from govhall.org.models import Department

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


# --- one item list across levels (issue 21 item 5): staff only --------------------------------
# A town's or village's managers adopt the county's standard items, compare a local item with
# its standard and review a change of the standard (the rule: govhall.catalog.standard_rules).
# Errors follow the policy (govhall.api.schemas): 422 refused, 409 already done, 404 otherwise.


class ComparisonFieldOut(Schema):
    field: str
    label: str
    standard: str
    local: str
    status: str = Field(description="same, shorter, differs or outdated (changed in the standard)")


class ComparisonMaterialOut(Schema):
    name: str
    standard: str
    local: str
    status: str = Field(description="same, omitted, differs or outdated")


class StandardReviewOut(Schema):
    id: int
    state: str = Field(description="pending, applied or kept")
    from_revision: int
    to_revision: int
    changed_fields: list[str]
    actions: list[str] = Field(description="What the caller may POST now: apply, keep")


class ComparisonOut(Schema):
    item: str = Field(description="Implementation code of the local item")
    standard: str = Field(description="Implementation code of the county's standard item")
    revision: int = Field(description="The standard's current revision")
    reviewed_revision: int | None
    outdated: bool
    deviations: int
    fields: list[ComparisonFieldOut]
    materials: list[ComparisonMaterialOut]
    review: StandardReviewOut | None


class AdoptIn(Schema):
    center_id: Id
    department_id: Id
    item_ids: list[Id] = Field(min_length=1, max_length=500)


class AdoptedOut(Schema):
    id: int
    code: str
    name: str


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _review_out(user: User, review: StandardReview) -> dict[str, object]:
    return {
        "id": review.pk,
        "state": review.state,
        "from_revision": review.from_revision,
        "to_revision": review.to_revision,
        "changed_fields": list(review.changed_fields),
        "actions": review_actions(user, review),
    }


def _comparison_out(user: User, item: ServiceItem) -> dict[str, object]:
    comparison = item_comparison(item)
    return {
        "item": item.code,
        "standard": comparison.standard.code,
        "revision": comparison.standard.revision,
        "reviewed_revision": item.standard_revision,
        "outdated": comparison.outdated,
        "deviations": comparison.deviations,
        "fields": [
            {
                "field": row.name,
                "label": row.label,
                "standard": row.standard,
                "local": row.local,
                "status": row.status,
            }
            for row in comparison.fields
        ],
        "materials": [
            {"name": r.name, "standard": r.standard, "local": r.local, "status": r.status}
            for r in comparison.materials
        ],
        "review": _review_out(user, comparison.review) if comparison.review else None,
    }


@router.get(
    "/standard/items/{item_id}",
    auth=django_auth,
    response={200: ComparisonOut, 404: ErrorOut},
    summary="A local item side by side with the county's standard item it adopts",
)
def standard_comparison(request: HttpRequest, item_id: Id) -> object:
    return _comparison_out(_staff(request), access_adoption(request.user, item_id))


@router.post(
    "/standard/adopt",
    auth=django_auth,
    response={201: list[AdoptedOut], 404: ErrorOut, **SERVICE_REFUSALS},
    summary="Adopt standard items of the county into a town or village center",
)
def standard_adopt_items(request: HttpRequest, payload: AdoptIn) -> object:
    if not can_manage_catalog(request.user):
        raise Http404
    center = access_center(request.user, payload.center_id, for_write=True)
    department = Department.objects.filter(pk=payload.department_id, center=center).first()
    standards = list(ServiceItem.objects.filter(pk__in=payload.item_ids))
    if len(standards) != len(set(payload.item_ids)):
        return field_refusal("item_ids", _("No such standard item."))
    try:
        adopted = standard_adopt(
            actor=_staff(request), center=center, standards=standards, department=department
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201, [{"id": i.pk, "code": i.code, "name": i.name} for i in adopted])


@router.post(
    "/standard/reviews/{review_id}/{action}",
    auth=django_auth,
    response={200: ComparisonOut, 404: ErrorOut, **SERVICE_REFUSALS},
    summary="Review a change of the standard: apply it, or keep the local deviation",
)
def standard_review(request: HttpRequest, review_id: Id, action: str) -> object:
    review = access_standard_review(request.user, review_id, for_write=True)
    if action not in ReviewAction.values:
        raise Http404
    try:
        standard_review_act(actor=_staff(request), review=review, action=action)
    except ValidationError as error:
        return service_refusal(error)
    return _comparison_out(_staff(request), access_adoption(request.user, review.item_id))
