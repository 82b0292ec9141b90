"""Issue 17 item 9: every phone and ID field of the portal's and the kiosk's forms opens the
phone's numeric keyboard: phones the telephone pad, ID numbers (and their last 4) the digit
pad with the "X" key access.js adds beside fields marked data-id-number."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from django import forms

import govhall.portal

PHONE = re.compile(r"(^|_)phone$")
ID_NUMBER = re.compile(r"(^|_)(id_number|last4)$")


def portal_forms() -> list[type[forms.Form]]:
    found: set[type[forms.Form]] = set()
    for module_info in pkgutil.walk_packages(govhall.portal.__path__, "govhall.portal."):
        if ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__.startswith("govhall."):
                found.add(value)
    return sorted(found, key=lambda form: form.__qualname__)


def test_phone_and_id_fields_use_numeric_keyboards() -> None:
    checked = set()
    wrong = []
    for form_class in portal_forms():
        for name, field in form_class.base_fields.items():
            attrs = field.widget.attrs
            if PHONE.search(name):
                checked.add(name)
                if attrs.get("inputmode") != "tel":
                    wrong.append(f"{form_class.__qualname__}.{name}: {attrs}")
            elif ID_NUMBER.search(name):
                checked.add(name)
                if attrs.get("inputmode") != "numeric" or "data-id-number" not in attrs:
                    wrong.append(f"{form_class.__qualname__}.{name}: {attrs}")
    assert {"phone", "id_number", "last4", "complainant_phone", "rater_phone"} <= checked
    assert not wrong, "\n".join(wrong)
