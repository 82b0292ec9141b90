"""Shared output shapes of the API (api/schemas.py): one way to name a staff member."""

from __future__ import annotations

import json

from govhall.api.main import api as ninja_api


def _refs(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node)) if node else set()
    return set()


def test_one_person_shape():
    schema = json.loads(json.dumps(ninja_api.get_openapi_schema()))
    components = schema["components"]["schemas"]
    people = sorted(name for name in components if "Person" in name)
    assert people == ["PersonOut"]
    assert set(components["PersonOut"]["properties"]) == {"id", "username", "name"}
    # Who decided, who covers, who is on duty, who answered: every router names staff with it.
    person = "#/components/schemas/PersonOut"
    holders = {person}
    while True:
        more = {
            f"#/components/schemas/{name}"
            for name, component in components.items()
            if _refs(component) & holders
        } - holders
        if not more:
            break
        holders |= more
    using = {
        path.split("/")[3]
        for path, operations in schema["paths"].items()
        if _refs(operations) & holders
    }
    assert {"cases", "frontdesk", "org", "staffing"} <= using
