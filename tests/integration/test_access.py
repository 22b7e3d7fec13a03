"""Every endpoint of both services checks who is asking, found from the URL maps themselves.

First, an anonymous visitor gets nothing but a way to sign in from every rule of
both apps — a page redirects to intake's sign-in, an API answers 401 — apart
from a short list of public endpoints. Rules are read from ``app.url_map``, so
an endpoint added later is covered without touching this file. Then a table of
the sensitive endpoints says what each role gets, with signed-in controls
showing that the refusals are about the role or area and not a broken URL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from werkzeug.routing import Rule

from review_service.queue import services as review_services
from shared import events
from tests.integration.system import submitted_event
from tests.support import people
from tests.support.web import csrf, running_apps, sign_in

PEOPLE = people.cast("quantri", "donvi", "donvi2", "xa", "xa2", "huyen", "kiemtra")
# The only endpoints an anonymous visitor may use: signing in and out, language, assets, health
# and readiness, the metrics (answered only to the machine itself or with the metrics token,
# tests/integration/test_operations.py), the API description, and "/" (a redirect to a page that
# itself asks for sign-in).
PUBLIC = {
    "intake": {"auth.login", "auth.logout", "home", "healthz", "static", "shared_web.static",
               "reporting.static",
               "shared_web.htmx_script", "shared_web.switch_language", "openapi.document",
               "ops.readyz", "ops.prometheus_metrics", "shared_web.service_worker"},
    "review": {"home", "healthz", "static", "shared_web.static", "shared_web.htmx_script",
               "shared_web.switch_language", "openapi.document", "ops.readyz",
               "ops.prometheus_metrics", "shared_web.service_worker"},
}
# A value for each kind of URL argument; a string argument gets one its view accepts.
SAMPLE_ARGUMENTS = {"form_key": "registration-new", "field": "title", "code": "vi",
                    "filename": "app.css"}


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    with running_apps(tmp_path_factory.mktemp("access"), PEOPLE) as (intake, review):
        yield {"intake": intake, "review": review}


@pytest.fixture(scope="module")
def data(apps):
    """Submission 1 belongs to the Môn Sơn unit; review item 1 is a Môn Sơn registration."""
    registration = {"title": "Hội LHPN xã Môn Sơn vận động hiến đất làm đường",
                    "field": "new_rural", "subject_type": "collective", "commune_code": "mon-son"}
    created = apps["intake"].test_client().post("/api/submissions", json=registration,
                                                headers=bearer(apps, "donvi"))
    assert created.status_code == 201, created.get_json()
    review = apps["review"].extensions["review"]
    event = events.decode(submitted_event(1, commune_code="mon-son", submitted_at=datetime.now(UTC)))
    with review.uow() as uow:
        review_services.on_submitted(event, uow, review.chain_config)
        uow.commit()
    return {"submission": created.get_json()["id"], "item": 1}


def bearer(apps, username: str) -> dict:
    return people.bearer(apps["intake"], username)


def url_of(rule: Rule) -> str:
    values = {name: 1 if type(rule._converters[name]).__name__ == "IntegerConverter"
              else SAMPLE_ARGUMENTS.get(name, "x") for name in rule.arguments}
    return rule.build(values)[1]


def every_rule():
    """(service, rule, method) for every non-public rule of both apps, from their URL maps."""
    with running_apps_for_collection() as both:
        return [pytest.param(service, rule.rule, method, rule.endpoint,
                             id=f"{service} {method} {rule.rule}")
                for service, app in both.items()
                for rule in app.url_map.iter_rules() if rule.endpoint not in PUBLIC[service]
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def running_apps_for_collection():
    import tempfile
    from contextlib import contextmanager

    @contextmanager
    def both():
        with tempfile.TemporaryDirectory() as folder, running_apps(folder, {}) as (intake, review):
            yield {"intake": intake, "review": review}

    return both()


def browser(apps, service: str, username: str | None = None):
    """A client of ``service`` holding a CSRF token, signed in at intake as ``username`` if given."""
    at_intake = apps["intake"].test_client()
    if username:
        assert sign_in(at_intake, username).status_code == 302
    token = csrf(at_intake.get("/login").get_data(as_text=True))
    client = apps[service].test_client()
    client.set_cookie("dvk_session", at_intake.get_cookie("dvk_session").value)
    client.csrf_token = token
    return client


def call(client, method: str, path: str, form: dict | None = None):
    data = {"csrf_token": client.csrf_token} | (form or {}) if method != "GET" else None
    return client.open(path, method=method, data=data)


@pytest.mark.parametrize(("service", "path_rule", "method", "endpoint"), every_rule())
def test_an_anonymous_visitor_is_sent_to_sign_in_or_refused(apps, service, path_rule, method,
                                                            endpoint):
    rule = next(r for r in apps[service].url_map.iter_rules() if r.endpoint == endpoint
                and r.rule == path_rule)
    response = call(browser(apps, service), method, url_of(rule))
    if path_rule.startswith("/api/"):
        assert response.status_code == 401, response.get_data(as_text=True)[:300]
        assert response.get_json()["error"]
    else:
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("service", sorted(PUBLIC))
def test_the_public_list_names_only_endpoints_that_exist(apps, service):
    assert PUBLIC[service] <= {rule.endpoint for rule in apps[service].url_map.iter_rules()}


@pytest.mark.parametrize("username", ["donvi", "xa", "huyen", "kiemtra"])
def test_every_administration_page_refuses_every_other_role(apps, username):
    client = browser(apps, "intake", username)
    admin_rules = [rule for rule in apps["intake"].url_map.iter_rules()
                   if rule.rule.startswith(("/admin/", "/periods"))]
    assert admin_rules
    for rule in admin_rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert call(client, method, url_of(rule)).status_code == 403, (method, rule.rule)


# (service, method, path, who, via, allowed statuses[, body]). "page" is a signed-in browser, "api"
# a bearer token; a body is sent as the form or the JSON, so only the caller can be the problem.
# Rows marked as controls show the same URL working for the right person.
SUB, ITEM = "{submission}", "{item}"
DECISION = {"decision": "approve", "comment": "", "version": 1}
ACCESS = [
    # administration
    ("intake", "GET", "/admin/directory", "quantri", "page", {200}),  # control
    ("intake", "POST", "/api/periods", "donvi", "api", {403}),
    ("intake", "POST", "/api/periods", "xa", "api", {403}),
    ("intake", "POST", "/api/directory/import", "huyen", "api", {403}),
    ("intake", "POST", "/api/users/2/sign-out-everywhere", "xa", "api", {403}),
    # review decisions: not for a unit, not for another commune's reviewer
    ("review", "GET", f"/items/{ITEM}", "xa", "page", {200}),  # control
    ("review", "GET", "/queue", "donvi", "page", {403}),
    ("review", "GET", f"/items/{ITEM}", "donvi", "page", {403, 404}),
    ("review", "POST", f"/items/{ITEM}/decision", "donvi", "page", {403, 404}, DECISION),
    ("review", "GET", f"/items/{ITEM}", "xa2", "page", {404}),
    ("review", "POST", f"/items/{ITEM}/decision", "xa2", "page", {404}, DECISION),
    ("review", "GET", f"/api/items/{ITEM}", "xa", "api", {200}),  # control
    ("review", "GET", f"/api/items/{ITEM}", "donvi", "api", {403, 404}),
    ("review", "POST", f"/api/items/{ITEM}/decision", "donvi", "api", {403, 404}, DECISION),
    ("review", "GET", f"/api/items/{ITEM}", "xa2", "api", {404}),
    ("review", "POST", f"/api/items/{ITEM}/decision", "xa2", "api", {404}, DECISION),
    # one unit's submission is not another's to read or touch
    ("intake", "GET", f"/submissions/{SUB}", "donvi", "page", {200}),  # control
    ("intake", "GET", f"/submissions/{SUB}", "donvi2", "page", {404}),
    ("intake", "GET", f"/submissions/{SUB}/edit", "donvi2", "page", {404}),
    ("intake", "POST", f"/submissions/{SUB}/withdraw", "donvi2", "page", {403, 404}),
    ("intake", "POST", f"/submissions/{SUB}/submit", "donvi2", "page", {403, 404}),
    ("intake", "GET", f"/api/submissions/{SUB}", "donvi", "api", {200}),  # control
    ("intake", "GET", f"/api/submissions/{SUB}", "donvi2", "api", {404}),
    ("intake", "GET", f"/api/submissions/{SUB}", "xa2", "api", {404}),
    ("intake", "POST", f"/api/submissions/{SUB}/withdraw", "donvi2", "api", {403, 404}),
    ("intake", "POST", f"/api/submissions/{SUB}/submit", "donvi2", "api", {403, 404}),
    # a model is amended and reported on by its own unit only (submission 1 is a draft: 409)
    ("intake", "GET", f"/models/{SUB}/amend", "donvi", "page", {409}),  # control
    ("intake", "GET", f"/models/{SUB}/amend", "donvi2", "page", {404}),
    ("intake", "GET", f"/models/{SUB}/amend", "xa", "page", {403, 404}),
    ("intake", "GET", f"/models/{SUB}/reports/new", "donvi", "page", {409}),  # control
    ("intake", "GET", f"/models/{SUB}/reports/new", "donvi2", "page", {404}),
    ("intake", "POST", f"/api/models/{SUB}/amendments", "donvi", "api", {409},
     {"title": "Tên mới của mô hình", "field": "economy", "reason": "Sửa tên"}),  # control
    ("intake", "POST", f"/api/models/{SUB}/amendments", "donvi2", "api", {404},
     {"title": "Tên mới của mô hình", "field": "economy", "reason": "Sửa tên"}),
    ("intake", "POST", f"/api/models/{SUB}/reports", "donvi2", "api", {404},
     {"period_id": 1, "households": "3"}),
    ("intake", "POST", f"/reports/{SUB}/evidence", "donvi2", "page", {404}),
    # the district report: a reader's own area only; never for a unit
    ("intake", "GET", "/report?org=con-cuong", "huyen", "page", {200}),  # control
    ("intake", "GET", "/report?org=mon-son", "xa", "page", {200}),  # control
    ("intake", "GET", "/report?org=con-cuong", "xa", "page", {403}),
    ("intake", "GET", "/report?org=mon-son", "xa2", "page", {403}),
    ("intake", "GET", "/report?org=mon-son", "donvi", "page", {403}),
    ("intake", "GET", "/report?org=*", "huyen", "page", {403}),
    ("intake", "GET", "/report/charts/fields.svg?org=con-cuong", "xa", "page", {403}),
    ("intake", "GET", "/api/report?org=con-cuong", "xa", "api", {403}),
    ("intake", "GET", "/api/report?org=mon-son", "donvi", "api", {403}),
    ("intake", "POST", "/report/exports", "xa", "page", {403}, {"org": "con-cuong", "period": 1,
                                                                 "format": "xlsx"}),
    # inspections: planners and inspectors only; teams and reassignment for administrators
    ("review", "GET", "/inspections", "kiemtra", "page", {200}),  # control
    ("review", "GET", "/inspections", "donvi", "page", {403}),
    ("review", "GET", "/inspections", "xa", "page", {403}),
    ("review", "GET", "/inspections/plans", "kiemtra", "page", {403}),
    ("review", "POST", "/inspections/plans", "xa", "page", {403},
     {"label": "Kế hoạch kiểm tra", "starts_on": "2026-07-01", "ends_on": "2026-12-31"}),
    ("review", "GET", "/admin/inspection-teams", "quantri", "page", {200}),  # control
    ("review", "POST", "/admin/inspection-teams", "huyen", "page", {403},
     {"name": "Đoàn kiểm tra số 1", "communes": "mon-son"}),
    ("review", "POST", "/api/inspections/teams", "huyen", "api", {403},
     {"name": "Đoàn kiểm tra số 1", "communes": ["mon-son"]}),
    ("review", "POST", "/api/inspections/plans", "kiemtra", "api", {403},
     {"label": "Kế hoạch kiểm tra", "starts_on": "2026-07-01", "ends_on": "2026-12-31"}),
    ("review", "GET", "/api/inspections/tasks", "donvi", "api", {403}),
    ("review", "POST", "/api/inspections/tasks/1/reassign", "huyen", "api", {403}, {"team_id": 1}),
    ("intake", "POST", f"/api/reports/{SUB}/evidence", "donvi2", "api", {404}),
    # award nominations: the committee, the district's reviewers and administrators only
    ("review", "GET", "/nominations", "huyen", "page", {200}),  # control
    ("review", "GET", "/nominations", "donvi", "page", {403}),
    ("review", "GET", "/nominations", "xa", "page", {403}),
    ("review", "GET", "/nominations/1", "kiemtra", "page", {403}),
    ("review", "POST", "/nominations/1/submit", "donvi", "page", {403}),
    ("review", "POST", "/nominations/1/ineligible", "huyen", "page", {403, 404},
     {"flag_reason": "Đang bị xem xét kỷ luật"}),
    ("review", "POST", "/nominations/dossiers", "xa", "page", {403}, {"nomination": "1"}),
    ("review", "GET", "/nominations/dossiers/1/dossier.pdf", "donvi", "page", {403}),
    ("review", "GET", "/api/nominations", "huyen", "api", {200}),  # control
    ("review", "GET", "/api/nominations", "xa2", "api", {403}),
    ("review", "POST", "/api/nominations/1/decision", "donvi", "api", {403},
     {"decision_number": "125/QĐ-UBND", "decision_date": "2026-11-05", "signer": "Vi Văn Sơn"}),
    ("review", "POST", "/api/nominations/dossiers", "kiemtra", "api", {403}, {"nomination_ids": [1]}),
]


@pytest.mark.parametrize("row", ACCESS, ids=[f"{r[3]} {r[1]} {r[2]} ({r[4]})" for r in ACCESS])
def test_each_sensitive_endpoint_answers_each_role_as_the_table_says(apps, data, row):
    service, method, path, username, via, allowed, *body = row
    path, body = path.format(**data), body[0] if body else {}
    if via == "api":
        client = apps[service].test_client()
        response = client.open(path, method=method, headers=bearer(apps, username),
                               json=body if method != "GET" else None)
    else:
        response = call(browser(apps, service, username), method, path, body)
    assert response.status_code in allowed, response.get_data(as_text=True)[:300]
