"""一件事 applications as pages show them (issue 19 item 5): a case's bundle and its siblings.

def bundle_view(case) -> BundleView | None
"""

from __future__ import annotations

from dataclasses import dataclass

from govhall.cases.models import Case, CaseBundle


@dataclass(frozen=True)
class BundleView:
    application: CaseBundle
    cases: list[Case]  # every case of the application, the given one included, in order

    @property
    def name(self) -> str:
        return self.application.bundle.name


def bundle_view(case: Case) -> BundleView | None:
    if case.bundle_id is None:
        return None
    application = CaseBundle.objects.select_related("bundle").get(pk=case.bundle_id)
    cases = list(
        Case.objects.filter(bundle_id=case.bundle_id).select_related("item").order_by("pk")
    )
    return BundleView(application=application, cases=cases)


@dataclass(frozen=True)
class PublicSibling:
    number: str
    item_name: str
    status_label: str
    promised_due_on: object


def public_siblings(number: str) -> tuple[str, list[PublicSibling]]:
    """For the public progress page, once the inquiry matched `number`: the 一件事's name and
    the other cases of its application (numbers, items, statuses, due dates; nothing personal)."""
    case = Case.objects.filter(number=number).only("pk", "bundle_id").first()
    if case is None or case.bundle_id is None:
        return "", []
    view = bundle_view(case)
    assert view is not None
    return view.name, [
        PublicSibling(
            number=c.number,
            item_name=c.item.name,
            status_label=str(c.get_status_display()),
            promised_due_on=c.promised_due_on,
        )
        for c in view.cases
        if c.pk != case.pk
    ]
