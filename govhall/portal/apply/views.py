"""Applying online (网上申请, issue 19 item 2): phone-first pages for a signed-in applicant.

- `/apply/items/<code>/`: from a service guide's "在线申请" button: resumes the open draft of
  the item (or starts one) and goes to it; an item the catalog does not offer online: 404;
- `/apply/<id>/`: the draft: the item's form, one upload per material (conditional materials
  with their condition, as the guide shows them), the delivery choice; "save" keeps it for
  later, "submit" makes the case (`govhall.online.services.applications`);
- `/apply/<id>/discard/`: give the draft up (asks first);
- `/apply/<id>/done/`: the case number and where to follow it;
- `/apply/<id>/files/<file id>/`: an uploaded file, for its owner only, as an attachment.

Another applicant's draft or file answers 404 (`govhall.online.access.applications`). A request
bigger than the uploads it may carry is refused by its Content-Length before it is read; uploads
are rate limited per account (GOVHALL_ONLINE_UPLOADS_PER_HOUR).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from govhall.catalog.models import FieldType, Material, ServiceItem
from govhall.catalog.queries.bundles import bundle_refusal, merged_materials, public_bundles
from govhall.catalog.queries.guides import published_guide
from govhall.catalog.queries.online_forms import online_refusal
from govhall.catalog.services.form_fields import answer_name, choices_of
from govhall.core.files import applicant_upload_max_bytes
from govhall.core.ratelimit import RateLimited, RateRule, rate_key, rate_limit
from govhall.core.validation import Conflict
from govhall.online.access.applications import access_application, access_application_file
from govhall.online.models import (
    ApplicantAccount,
    ApplicationFile,
    ApplicationStatus,
    OnlineApplication,
)
from govhall.online.services.applications import (
    application_discard,
    application_fields,
    application_file_upload,
    application_materials,
    application_save,
    application_start,
    application_start_bundle,
    application_submit,
)
from govhall.online.services.library import application_reuse_choices
from govhall.portal.online.session import account_required

T = "portal/apply/"
HOUR = 3600
# Room for the form's text fields and the multipart boundaries besides the files.
FORM_OVERHEAD_BYTES = 256 * 1024


def _account(request: HttpRequest) -> ApplicantAccount:
    account: ApplicantAccount = request.online_account  # type: ignore[attr-defined]
    return account


def _acting_for(request: HttpRequest) -> ApplicantAccount | None:
    session = getattr(request, "online_session", None)
    return session.acting_for if session is not None else None


@never_cache
@require_GET
@account_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = published_guide(code)
    except ServiceItem.DoesNotExist:
        raise Http404 from None
    if online_refusal(item):
        raise Http404
    try:
        application = application_start(
            account=_account(request), item=item, acting_for=_acting_for(request)
        )
    except ValidationError:
        raise Http404 from None
    return HttpResponseRedirect(reverse("portal:apply_draft", args=[application.pk]))


@never_cache
@require_GET
@account_required
def bundle_start(request: HttpRequest, code: str) -> HttpResponse:
    """From a bundle guide's "在线申请" (issue 19 item 5): its open draft, or a new one."""
    bundle = public_bundles().filter(code=code).first()
    if bundle is None or bundle_refusal(bundle, online=True):
        raise Http404
    try:
        application = application_start_bundle(
            account=_account(request), bundle=bundle, acting_for=_acting_for(request)
        )
    except ValidationError:
        raise Http404 from None
    return HttpResponseRedirect(reverse("portal:apply_draft", args=[application.pk]))


def _too_big(request: HttpRequest, materials: int) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > applicant_upload_max_bytes() * max(materials, 1) + FORM_OVERHEAD_BYTES


def _upload_allowed(account: ApplicantAccount, count: int) -> str:
    """'' when the account may upload `count` more files this hour, else the refusal."""
    if not count:
        return ""
    try:
        rate_limit(
            [
                RateRule(
                    key=rate_key("online.upload", str(account.pk)),
                    limit=int(settings.GOVHALL_ONLINE_UPLOADS_PER_HOUR),
                    window_seconds=HOUR,
                    message=_("Too many uploads. Try again later."),
                )
            ]
            * count
        )
    except RateLimited as limited:
        return str(limited.message)
    return ""


def _errors_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: [str(m) for m in value] for key, value in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def _page(
    request: HttpRequest,
    application: Any,
    *,
    errors: dict[str, list[str]] | None = None,
    answers: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or {}
    item = application.item
    values = answers if answers is not None else application.form_data
    fields = [
        {
            "field": field,
            "name": answer_name(field),
            "value": values.get(field.key, ""),
            "options": choices_of(field) if field.field_type == FieldType.CHOICE else [],
            "errors": errors.get(answer_name(field), []),
            "input_type": {
                FieldType.NUMBER: "text",
                FieldType.DATE: "date",
                FieldType.PHONE: "tel",
            }.get(FieldType(field.field_type), "text"),
            "inputmode": {
                FieldType.NUMBER: "decimal",
                FieldType.PHONE: "tel",
            }.get(FieldType(field.field_type), ""),
        }
        for field in application_fields(application)
    ]
    files = {
        row.material_id: row for row in ApplicationFile.objects.filter(application=application)
    }
    # Issue 19 item 5: a bundle asks its merged materials once (which items use each)
    groups = (
        {g.representative.pk: g for g in merged_materials(application.bundle)}
        if application.bundle_id
        else {}
    )
    materials = [
        {
            "material": material,
            "row": files.get(material.pk),
            "errors": errors.get(f"material_{material.pk}", []),
            "for_items": groups[material.pk].item_names if material.pk in groups else [],
        }
        for material in application_materials(application)
    ]
    shown_beside = {"delivery_method", "delivery_address"}
    general = [
        message
        for key, messages in errors.items()
        if key not in shown_beside and not key.startswith(("field_", "material_"))
        for message in messages
    ]
    return render(
        request,
        T + "draft.html",
        {
            "application": application,
            "item": item,
            "bundle": application.bundle,
            "fields": fields,
            "materials": materials,
            "errors": errors,
            "general_errors": general,
            "has_errors": bool(errors),
            "max_bytes": applicant_upload_max_bytes(),
        },
        status=status,
    )


def _refuse_big_bodies(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse a POST bigger than the draft's uploads may be by its Content-Length, before
    anything (the CSRF check included, which `csrf_protect` runs after this) reads the body."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, application_id: int) -> HttpResponse:
        if request.method == "POST":
            materials = Material.objects.filter(
                item_id__in=OnlineApplication.objects.filter(pk=application_id).values("item_id")
            ).count()
            bundled = (
                OnlineApplication.objects.filter(pk=application_id, bundle__isnull=False)
                .select_related("bundle")
                .first()
            )
            if bundled is not None:  # issue 19 item 5: one upload per merged material
                materials = len(application_materials(bundled))
            if _too_big(request, materials):
                return HttpResponse(
                    _("The files are too big (at most %(mb)d MB each).")
                    % {"mb": applicant_upload_max_bytes() // (1024 * 1024)},
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return view(request, application_id)

    return wrapper


@csrf_exempt  # checked by csrf_protect below, once the size is known to be acceptable
@never_cache
@require_http_methods(["GET", "POST"])
@account_required
@_refuse_big_bodies
@csrf_protect
def draft(request: HttpRequest, application_id: int) -> HttpResponse:
    account = _account(request)
    application = access_application(account, application_id)
    if application.status == ApplicationStatus.SUBMITTED:
        return HttpResponseRedirect(reverse("portal:apply_done", args=[application.pk]))
    application = access_application(account, application_id, for_write=True)
    if request.method != "POST":
        return _page(request, application)
    answers = {
        field.key: request.POST.get(answer_name(field), "")
        for field in application_fields(application)
    }
    uploads: dict[int, UploadedFile] = {}
    for name in request.FILES:
        upload = request.FILES.get(name)
        if name.startswith("material_") and name.removeprefix("material_").isdigit() and upload:
            uploads[int(name.removeprefix("material_"))] = upload
    errors: dict[str, list[str]] = {}
    try:
        application = application_save(
            account=account,
            application=application,
            version=request.POST.get("version", ""),
            answers=answers,
            delivery_method=request.POST.get("delivery_method", ""),
            delivery_address=request.POST.get("delivery_address", ""),
        )
    except Conflict as conflict:
        fresh = access_application(account, application_id)
        if fresh.status == ApplicationStatus.SUBMITTED:  # a double submit: the first one won
            return HttpResponseRedirect(reverse("portal:apply_done", args=[fresh.pk]))
        flash.warning(request, " ".join(conflict.messages))
        return HttpResponseRedirect(reverse("portal:apply_draft", args=[fresh.pk]))
    except ValidationError as refused:
        # The answers are refused, but each file is its own upload: keep the good ones and show
        # every problem at once, so a citizen on a phone never picks the same files twice.
        errors = _errors_of(refused)
    refusal = _upload_allowed(account, len(uploads))
    if refusal:
        errors["__all__"] = [refusal]
        uploads = {}
    for material_id, upload in uploads.items():
        try:
            application_file_upload(
                account=account, application=application, material=material_id, upload=upload
            )
        except ValidationError as refused:
            for key, messages in _errors_of(refused).items():
                errors.setdefault(
                    key if key != "__all__" else f"material_{material_id}", []
                ).extend(messages)
    # Issue 19 item 4: "use from my library" / "use my electronic licence" (a new upload wins).
    reuse = application_reuse_choices(
        account=account, application=application, data=request.POST, skip=set(uploads)
    )
    for key, messages in reuse.items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        return _page(request, application, errors=errors, answers=answers, status=422)
    if request.POST.get("action") == "submit":
        try:
            application_submit(
                account=account, application=application, version=application.version
            )
        except Conflict as conflict:
            flash.warning(request, " ".join(conflict.messages))
            return HttpResponseRedirect(reverse("portal:apply_draft", args=[application.pk]))
        except ValidationError as refused:
            return _page(request, application, errors=_errors_of(refused), status=422)
        return HttpResponseRedirect(reverse("portal:apply_done", args=[application.pk]))
    flash.success(request, _("The draft is saved; you can continue later from My page."))
    return HttpResponseRedirect(reverse("portal:apply_draft", args=[application.pk]))


@never_cache
@require_http_methods(["GET", "POST"])
@account_required
def discard(request: HttpRequest, application_id: int) -> HttpResponse:
    account = _account(request)
    application = access_application(account, application_id, for_write=True)
    if application.status != ApplicationStatus.DRAFT:
        raise Http404
    if request.method == "POST":
        try:
            application_discard(
                account=account, application=application, version=request.POST.get("version")
            )
        except ValidationError as refused:
            flash.warning(request, " ".join(refused.messages))
            return HttpResponseRedirect(reverse("portal:apply_draft", args=[application.pk]))
        flash.success(request, _("The draft is discarded."))
        return HttpResponseRedirect(reverse("portal:my_home"))
    return render(request, T + "discard.html", {"application": application})


@never_cache
@require_GET
@account_required
def done(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(_account(request), application_id)
    if application.status == ApplicationStatus.SUBMITTED and application.case_bundle is not None:
        cases = list(application.case_bundle.cases.select_related("item").order_by("pk"))
        return render(
            request,
            T + "done.html",
            {
                "application": application,
                "case": cases[0] if cases else None,
                "case_bundle": application.case_bundle,
                "bundle_cases": cases,
            },
        )
    if application.status != ApplicationStatus.SUBMITTED or application.case is None:
        return HttpResponseRedirect(reverse("portal:apply_draft", args=[application.pk]))
    return render(request, T + "done.html", {"application": application, "case": application.case})


@never_cache
@require_GET
@account_required
def application_file(request: HttpRequest, application_id: int, file_id: int) -> HttpResponse:
    """An uploaded file, to its owner only, always as a download (never shown inline)."""
    row = access_application_file(_account(request), application_id, file_id)
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    extension = row.file.name.rsplit(".", 1)[-1] if "." in row.file.name else "bin"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{row.material.name[:60]}.{extension}",
        content_type=row.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response  # type: ignore[return-value]  # a streaming response, as account_required passes it
