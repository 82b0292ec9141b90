"""No server error on any input (issue 12 item 4): bounded pagination, ids out of range, NUL
bytes, over-long strings, oversized bodies (413), `[]` for an object, non-JSON bodies, and one
error shape declared for every status code an operation can answer."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from govhall.api.main import api as ninja_api
from govhall.core.tokens import api_token_create

pytestmark = pytest.mark.django_db
HUGE_ID = "99999999999999999999"  # past PostgreSQL's bigint


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def api(client, director) -> Client:
    _token, key = api_token_create(actor=None, user=director, name="probe")
    return Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {key}")


# --- pagination ---------------------------------------------------------------------------------


def test_page_size_is_capped(client_as, director, county, town, settings):
    settings.GOVHALL_API_MAX_PAGE_SIZE = 1
    body = client_as(director).get("/api/v1/org/centers?limit=100000").json()
    assert body["count"] == 2 and len(body["items"]) == 1


@pytest.mark.parametrize("query", ["limit=0", "limit=-1", "offset=-1", f"offset={HUGE_ID}"])
def test_bad_limit_or_offset_is_422(api, query):
    response = api.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_pagination_is_declared_with_its_bounds():
    schema = json.loads(json.dumps(ninja_api.get_openapi_schema()))
    parameters = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    params = {p["name"]: p["schema"] for p in parameters}
    assert params["limit"]["default"] == 50
    assert params["offset"]["maximum"] >= 10**6


# --- ids and numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/cases/{HUGE_ID}",
        f"/api/v1/cases/{HUGE_ID}/events",
        f"/api/v1/frontdesk/inquiries/{HUGE_ID}",
        f"/api/v1/frontdesk/appointments/{HUGE_ID}",
    ],
)
def test_huge_id_in_path_is_404(api, path):
    assert api.get(path).status_code == 404


def test_huge_id_in_body_is_refused(api):
    response = api.post(
        "/api/v1/cases/propose", {"item_id": int(HUGE_ID)}, content_type="application/json"
    )
    assert response.status_code in {404, 422}
    response = api.get(f"/api/v1/cases/?department={HUGE_ID}")
    assert response.status_code == 422


# --- NUL bytes and long strings -----------------------------------------------------------------


def test_nul_in_json_string_is_400(api):
    response = api.post(
        "/api/v1/cases/propose", '{"item_id": 1, "x": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_query_string_is_400(api):
    response = api.get("/api/v1/cases/?q=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


def test_nul_in_path_is_400(api):
    assert api.get("/api/v1/catalog/items/a%00b").status_code == 400


def test_nul_in_form_field_on_a_page_is_400(client_as, director):
    response = client_as(director).post("/staff/frontdesk/inquiries/log/", {"matter": "a\x00b"})
    assert response.status_code == 400


def test_nul_message_is_chinese_by_default(director):
    _token, key = api_token_create(actor=None, user=director, name="probe")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/cases/?q=%00")
    assert response.status_code == 400
    assert "空字符" in response.json()["detail"]


def test_over_long_string_is_422(api):
    response = api.post(
        "/api/v1/frontdesk/inquiries/",
        {"matter": "长" * 100_000},
        content_type="application/json",
    )
    assert response.status_code == 422


# --- body size, shapes and content types --------------------------------------------------------


def test_body_over_the_limit_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"item_id": 1, "padding": "x" * (2 * 1024 * 1024)})
    response = api.post("/api/v1/cases/propose", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"]


def test_twenty_megabytes_is_413(api):
    body = b"{" + b" " * (20 * 1024 * 1024) + b"}"
    response = api.post("/api/v1/cases/propose", body, content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize("body", ["[]", '"text"', "12", "null"])
def test_non_object_body_is_422(api, body):
    response = api.post("/api/v1/cases/propose", body, content_type="application/json")
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_broken_json_is_422(api):
    response = api.post("/api/v1/cases/propose", "{not json", content_type="application/json")
    assert response.status_code == 422


def test_non_json_content_type_is_415(api):
    response = api.post("/api/v1/cases/propose", '{"item_id": 1}', content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["detail"]


# --- one error shape, declared ------------------------------------------------------------------


def test_validation_errors_use_the_shared_shape(api):
    response = api.post("/api/v1/cases/propose", {}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert "item_id" in body["errors"]


def test_every_operation_declares_its_error_codes():
    schema = json.loads(json.dumps(ninja_api.get_openapi_schema()))
    error_ref = "#/components/schemas/ErrorOut"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            assert "400" in responses, where
            if operation.get("security"):
                assert "401" in responses, where
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in responses, where
            if "{" in path:
                assert "404" in responses, where
            if operation.get("requestBody"):
                assert {"413", "415"} <= set(responses), where
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    content = response["content"]["application/json"]["schema"]
                    assert content == {"$ref": error_ref}, (where, code)


def test_schema_names_are_unique_across_routers():
    """The OpenAPI document keys schemas by class name: two different classes of one name would
    describe one of them wrongly."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import govhall.api.routers as routers

    found: dict[str, dict[str, str]] = {}
    for module_info in pkgutil.iter_modules(routers.__path__):
        module = importlib.import_module(f"govhall.api.routers.{module_info.name}")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value is not Schema:
                schema = json.dumps(value.model_json_schema(mode="serialization"), sort_keys=True)
                found.setdefault(name, {})[value.__module__] = schema
    clashes = {name: sorted(by) for name, by in found.items() if len(set(by.values())) > 1}
    assert clashes == {}


def test_an_upload_keeps_its_own_limit(client_as, director, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.GOVHALL_MAX_UPLOAD_BYTES = 1024 * 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("catalog.xlsx", b"x" * 4096)
    response = client_as(director).post("/staff/catalog/import/", {"file": upload})
    assert response.status_code != 413
