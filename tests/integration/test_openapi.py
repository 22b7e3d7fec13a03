"""Each service describes its JSON API in an OpenAPI document that anyone may read."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from intake_service.app import create_app as create_intake
from review_service.app import create_app as create_review
from shared.settings import from_env
from shared.web.openapi import openapi_path
from tests.support import templates

CREATE_APP = {"intake": create_intake, "review": create_review}


@pytest.fixture(params=sorted(CREATE_APP))
def app(request, tmp_path):
    service = request.param
    settings = from_env({"DVK_DATA_DIR": str(tmp_path), "SECRET_KEY": "x"})
    templates.clone(service, "schema", getattr(settings, f"{service}_database_url"))
    app = CREATE_APP[service](settings)
    yield app
    app.extensions[service].engine.dispose()


def document(app) -> dict:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_document_is_valid_openapi_and_needs_no_sign_in(app):
    validate(document(app))


def test_the_rest_of_the_api_still_needs_authentication(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json" and not rule.arguments:
            assert client.get(rule.rule).status_code in (401, 405), rule.rule


def test_every_api_route_is_documented(app):
    paths = document(app)["paths"]
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                documented = paths.get(openapi_path(rule.rule), {})
                assert method.lower() in documented, f"{method} {rule.rule} is not documented"


def test_errors_share_one_shape_and_the_api_uses_bearer_tokens(app):
    spec = document(app)
    bearer = spec["components"]["securitySchemes"]["bearerAuth"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    assert spec["components"]["schemas"]["Error"]["properties"].keys() == {"error", "fields"}
    assert spec["components"]["responses"]["Unauthorized"]["content"]["application/json"]["schema"] \
        == {"$ref": "#/components/schemas/Error"}


@pytest.mark.parametrize("app", ["intake"], indirect=True)
def test_creating_a_submission_requires_its_four_fields(app):
    spec = document(app)
    create = spec["paths"]["/api/submissions"]["post"]
    assert "201" in create["responses"]
    reference = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = spec["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert {"title", "field", "subject_type", "commune_code"} <= set(body["required"])


@pytest.mark.parametrize("app", ["intake"], indirect=True)
def test_the_directory_periods_and_account_apis_are_described(app):
    spec = document(app)
    paths = spec["paths"]
    expected = {
        "/api/directory/org-units": {"get"}, "/api/directory/units": {"get"},
        "/api/directory/people": {"get"}, "/api/directory/import": {"post"},
        "/api/periods": {"get", "post"}, "/api/due": {"get"},
        "/api/notifications": {"get"}, "/api/notifications/read": {"post"},
        "/api/account/sign-out-everywhere": {"post"},
        "/api/users/{user_id}/sign-out-everywhere": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths.get(path, {})), path
    upload = paths["/api/directory/import"]["post"]["requestBody"]["content"]
    reference = upload["multipart/form-data"]["schema"]["$ref"]
    assert set(spec["components"]["schemas"][reference.rsplit("/", 1)[-1]]["properties"]) \
        == {"kind", "file"}
    tree = paths["/api/directory/org-units"]["get"]
    assert [p["name"] for p in tree["parameters"]] == ["on"]
    assert {"401", "403", "409", "422"} <= set(paths["/api/periods"]["post"]["responses"])
