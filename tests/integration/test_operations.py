"""What an operator sees of a running service: /readyz, /metrics, request ids and JSON access
lines, and processes that refuse to start on bad settings, each in one line."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import sys
import urllib.request

import pytest

from intake_service.app import create_app as create_intake
from review_service.app import create_app as create_review
from shared import embedded
from shared.settings import from_env
from tests.conftest import ENGINE_KINDS, require_engines
from tests.integration.system import registration
from tests.support.engines import broker_in_use, drop_databases, environment
from tests.support.people import add_people, bearer, cast
from tests.support.stack import Stack, wait_for

MIGRATED = {"intake": "directory-relayed", "review": "schema"}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def engines(kind: str, tmp_path, **templates):
    """An environment on ``kind`` engines (databases from ``templates``), the embedded Redis
    served when it is used; everything made is removed afterwards."""
    require_engines(kind)
    with broker_in_use() if kind == "real" else contextlib.nullcontext():
        env = environment(kind, tmp_path / "data", **templates)
        if kind == "embedded":
            embedded.serve(from_env(env))
        try:
            yield env
        finally:
            if kind == "embedded":
                embedded.stop(from_env(env).data_dir, keep=False)
            drop_databases(env)


@contextlib.contextmanager
def both_apps(env: dict[str, str]):
    settings = from_env(env)
    apps = {"intake": create_intake(settings), "review": create_review(settings)}
    try:
        yield apps
    finally:
        for name, app in apps.items():
            app.extensions[name].engine.dispose()
            app.extensions["ops"].engine.dispose()


def metric(page: str, name: str, **labels: str) -> float | None:
    """One sample's value on a /metrics page, or None when it is absent."""
    for line in page.splitlines():
        sample, _, value = line.rpartition(" ")
        if sample.split("{")[0] == name and all(f'{k}="{v}"' in sample for k, v in labels.items()):
            return float(value)
    return None


@pytest.mark.parametrize("kind", ENGINE_KINDS)
def test_both_services_are_ready_with_their_databases_at_the_head_and_engines_reachable(
        kind, tmp_path):
    with engines(kind, tmp_path, **MIGRATED) as env, both_apps(env) as apps:
        for app in apps.values():
            response = app.test_client().get("/readyz")
            assert response.status_code == 200, response.get_json()
            assert response.get_json()["checks"] == {"database": "ok", "broker": "ok",
                                                     "redis": "ok"}


@pytest.mark.parametrize("kind", ENGINE_KINDS)
def test_a_database_not_migrated_to_the_head_makes_its_service_unready(kind, tmp_path):
    with engines(kind, tmp_path, review="schema") as env, both_apps(env) as apps:
        intake = apps["intake"].test_client().get("/readyz")
        review = apps["review"].test_client().get("/readyz")
    assert intake.status_code == 503
    assert intake.get_json()["failing"] == ["database"]
    assert intake.get_json()["checks"]["database"] == "not at the migration head"
    assert review.status_code == 200


@pytest.mark.parametrize("kind", ENGINE_KINDS)
@pytest.mark.parametrize(("part", "variable", "url"), [
    ("broker", "BROKER_URL", "amqp://guest:guest@127.0.0.1:{port}//"),
    ("redis", "REDIS_URL", "redis://127.0.0.1:{port}/0"),
])
def test_an_engine_on_a_closed_port_makes_the_service_unready_naming_it(kind, part, variable, url,
                                                                        tmp_path):
    with engines(kind, tmp_path, **MIGRATED) as env:
        env[variable] = url.format(port=closed_port())
        with both_apps(env) as apps:
            response = apps["review"].test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == [part]
    assert response.get_json()["checks"][part] == "unreachable"


@pytest.mark.parametrize("kind", ENGINE_KINDS)
def test_metrics_count_requests_by_endpoint_and_status_and_show_the_unrelayed_outbox(kind,
                                                                                     tmp_path):
    with engines(kind, tmp_path, **MIGRATED) as env, both_apps(env) as apps:
        intake = apps["intake"]
        add_people(intake.extensions["intake"].sessions, cast("donvi"))
        client, auth = intake.test_client(), bearer(intake, "donvi")
        before = client.get("/metrics").get_data(as_text=True)
        healthy = dict(service="intake", endpoint="healthz", method="GET", status="200")
        for _ in range(3):
            client.get("/healthz")
        client.get("/no-such-page")
        for number in range(2):  # no relay runs: their events wait in the outbox
            created = client.post("/api/submissions", headers=auth,
                                  json=registration(title=f"Mô hình vận động số {number}"))
            assert created.status_code == 201, created.get_json()
        after = client.get("/metrics").get_data(as_text=True)
    assert metric(before, "dvk_outbox_unpublished", service="intake") == 0
    assert metric(after, "dvk_outbox_unpublished", service="intake") >= 2
    assert metric(after, "dvk_outbox_oldest_unpublished_age_seconds", service="intake") >= 0
    created = dict(service="intake", method="POST", status="201",
                   endpoint=intake.url_map.bind("").match("/api/submissions", method="POST")[0])
    missing = dict(service="intake", endpoint="unmatched", method="GET", status="404")
    for labels, count in ((healthy, 3), (created, 2), (missing, 1)):
        assert metric(after, "dvk_http_requests_total", **labels) - (
            metric(before, "dvk_http_requests_total", **labels) or 0) == count
    assert metric(after, "dvk_dead_letters", service="intake") == 0
    assert metric(after, "dvk_jobs_failed", service="intake") is not None
    assert metric(after, "dvk_metrics_source_up", service="intake", source="broker") == 1


def test_metrics_are_refused_to_a_request_from_elsewhere(tmp_path):
    with engines("embedded", tmp_path, **MIGRATED) as env:
        env["DVK_TRUSTED_PROXIES"] = "1"
        with both_apps(env) as apps:
            client = apps["intake"].test_client()
            from_outside = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"})
            env["DVK_METRICS_TOKEN"] = "a-scrape-token-of-our-own"
            with both_apps(env) as guarded:
                scraper = guarded["intake"].test_client()
                without = scraper.get("/metrics")
                with_token = scraper.get("/metrics", headers={
                    "X-Forwarded-For": "203.0.113.5",
                    "Authorization": "Bearer a-scrape-token-of-our-own"})
    assert from_outside.status_code == 403 and without.status_code == 403
    assert with_token.status_code == 200 and "dvk_http_requests_total" in with_token.text


def test_a_request_keeps_the_proxy_request_id_or_gets_a_new_one(tmp_path):
    with engines("embedded", tmp_path, **MIGRATED) as env, both_apps(env) as apps:
        client = apps["review"].test_client()
        kept = client.get("/healthz", headers={"X-Request-ID": "9f86d081884c7d65-nginx"})
        replaced = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
        made = client.get("/healthz")
    assert kept.headers["X-Request-ID"] == "9f86d081884c7d65-nginx"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-ID"])
    assert made.headers["X-Request-ID"] != replaced.headers["X-Request-ID"]


@pytest.mark.parametrize(("trusted", "back_to"), [
    ("1", "https://dvk.example.vn/submissions"),
    ("0", "/"),  # no proxy trusted: the page named by the browser is not this host's
])
def test_behind_the_trusted_proxy_the_language_switch_goes_back_to_the_page(trusted, back_to,
                                                                           tmp_path):
    with engines("embedded", tmp_path, **MIGRATED) as env:
        env["DVK_TRUSTED_PROXIES"] = trusted
        with both_apps(env) as apps:
            response = apps["intake"].test_client().get("/lang/en", headers={
                "Referer": "https://dvk.example.vn/submissions", "X-Forwarded-For": "203.0.113.5",
                "X-Forwarded-Proto": "https", "X-Forwarded-Host": "dvk.example.vn"})
    assert response.status_code == 302
    assert response.headers["Location"] == back_to


# --- processes as the Procfile starts them ---


def get(url: str, headers: dict[str, str] | None = None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}),
                                timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode()


def answering(url: str):
    with contextlib.suppress(OSError):
        return get(url)
    return None


def json_lines(text: str) -> list[dict]:
    lines = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            lines.append(json.loads(line))
    return lines


def test_gunicorn_writes_one_json_access_line_per_request_and_adds_up_every_process_metrics(
        tmp_path):
    with engines("embedded", tmp_path, **MIGRATED) as env:
        port, metrics_dir = closed_port(), tmp_path / "metrics"
        metrics_dir.mkdir()
        env |= {"INTAKE_PORT": str(port), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        (tmp_path / "logs").mkdir()
        stack = Stack(env, tmp_path / "logs")
        try:
            stack.start("intake_web")
            site = f"http://127.0.0.1:{port}"
            wait_for(lambda: answering(f"{site}/healthz"), timeout=60, message="intake_web")
            for _ in range(5):
                get(f"{site}/healthz")
            status, headers, _ = get(f"{site}/healthz",
                                     headers={"X-Request-ID": "req-0123456789abcdef"})
            # Another process of the machine (a relay, a consumer) counts something too.
            subprocess.run([sys.executable, "-c", (
                "from prometheus_client import Counter; "
                "Counter('dvk_relay_published_total', 'published', ['service'])"
                ".labels('intake').inc(4)")], env=stack.env, check=True)
            _, _, page = get(f"{site}/metrics")
        finally:
            stack.stop_all()
        log = "".join(path.read_text() for path in (tmp_path / "logs").glob("*.log"))
    assert status == 200 and headers["X-Request-ID"] == "req-0123456789abcdef"
    access = [line for line in json_lines(log) if line.get("logger") == "dvk.access"]
    mine = [line for line in access if line["request_id"] == "req-0123456789abcdef"]
    assert len(mine) == 1
    assert {key: mine[0][key] for key in ("process", "method", "path", "status", "endpoint")} == {
        "process": "intake_web", "method": "GET", "path": "/healthz", "status": 200,
        "endpoint": "healthz"}
    assert mine[0]["duration_ms"] >= 0
    assert len(access) >= 7  # the readiness polls, the six requests, each once
    assert '"GET /healthz HTTP/1.1" 200' not in log  # gunicorn's own text access line
    assert metric(page, "dvk_http_requests_total", service="intake", endpoint="healthz",
                  status="200") >= 6
    assert metric(page, "dvk_relay_published_total", service="intake") == 4


def refusal(tmp_path, name: str, **variables: str) -> tuple[int, str]:
    """Start ``name`` as the Procfile does with ``variables`` set; its exit status and output."""
    env = environment("embedded", tmp_path / "data") | variables
    (tmp_path / "logs").mkdir()
    stack = Stack(env, tmp_path / "logs")
    process = stack.start(name)
    try:
        status = process.wait(timeout=60)
    finally:
        stack.stop_all()
        embedded.stop((tmp_path / "data").resolve(), keep=False)  # a consumer serves it first
    return status, "".join(path.read_text() for path in (tmp_path / "logs").glob("*.log"))


@pytest.mark.parametrize("name", ["intake_web", "review_relay", "worker", "intake_scheduler"])
def test_a_process_refuses_production_on_the_development_key_and_sqlite_naming_each(name,
                                                                                    tmp_path):
    status, output = refusal(tmp_path, name, SECRET_KEY="",
                             BROKER_URL="amqp://dvk:pass@broker.internal:5672//",
                             INTAKE_PORT=str(closed_port()))
    assert status != 0
    for line in ("SECRET_KEY: the development or example value cannot be used in production",
                 "INTAKE_DATABASE_URL: SQLite is for development only",
                 "REVIEW_DATABASE_URL: SQLite is for development only",
                 "REDIS_URL: not set, and the embedded Redis is for development only"):
        assert line in output
    assert "Traceback" not in output


def test_a_relay_names_every_bad_variable_at_once(tmp_path):
    status, output = refusal(tmp_path, "intake_relay", DVK_MAX_ATTEMPTS="abc",
                             DVK_RELAY_IDLE_SECONDS="-1")
    assert status != 0
    assert "DVK_MAX_ATTEMPTS='abc' is not a whole number" in output
    assert "DVK_RELAY_IDLE_SECONDS='-1' must be more than 0" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("name", ["review_consumer", "review_web"])
def test_a_bad_feature_variable_stops_the_start_naming_it(name, tmp_path):
    status, output = refusal(tmp_path, name, DVK_COMMITTEE_RULES="{not json",
                             REVIEW_PORT=str(closed_port()))
    assert status != 0
    assert "DVK_COMMITTEE_RULES: " in output
    assert "Traceback" not in output
