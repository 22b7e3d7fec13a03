"""What an operator installs from ``deploy/``: systemd units that run exactly the Procfile's
programs, hardened alike and accepted by ``systemd-analyze verify``; an nginx site accepted by
``nginx -t`` that passes the request id and the client's address, scheme and host to the
services, keeps /metrics private and takes the largest upload; and backup and restore tools
that bring back the district's report and its evidence after both databases and the files
are lost."""

from __future__ import annotations

import http.client
import io
import json
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from intake_service.bulk import views as bulk_views
from shared.settings import from_env
from tests.support import deploy
from tests.support.stack import wait_for

SERVICES = ("intake", "review")
HARDENING = ("NoNewPrivileges", "ProtectSystem", "ReadWritePaths", "ProtectHome", "PrivateTmp",
             "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
             "ProtectControlGroups", "RestrictAddressFamilies", "RestrictNamespaces",
             "SystemCallFilter", "SystemCallArchitectures", "CapabilityBoundingSet", "UMask")


def wanted_by_target() -> list[str]:
    target = deploy.read_unit(deploy.UNITS / "dvk.target")
    return [name for line in deploy.values(target, "Unit", "Wants") for name in line.split()]


# ---- systemd ----------------------------------------------------------------------------------


def test_every_procfile_process_has_a_unit_running_the_same_program():
    started = wanted_by_target()
    for process, command in deploy.procfile_commands().items():
        unit = deploy.unit_name(process)
        assert unit in started, f"dvk.target does not start {unit} ({process})"
        argv = deploy.exec_start(unit)
        assert argv[0].startswith(deploy.VENV_BIN), f"{unit} runs {argv[0]}, not the installed one"
        assert deploy.program_and_target(argv) == deploy.program_and_target(command), process
        assert deploy.config_module(argv) == deploy.config_module(command), process


def test_each_web_instance_listens_where_the_nginx_site_sends_its_service():
    site = (deploy.SITE / "dvk.conf").read_text()
    for service in SERVICES:
        upstream = re.search(rf"upstream dvk_{service} \{{\s*server ([\d.:]+);", site).group(1)
        drop_in = deploy.read_unit(deploy.UNITS / f"dvk-web@{service}.service.d" / "bind.conf")
        assert f"DVK_WEB_BIND={upstream}" in deploy.values(drop_in, "Service", "Environment")


def test_every_unit_restarts_stops_gently_and_is_hardened_alike():
    templates = sorted(deploy.UNITS.glob("dvk-*@.service"))
    assert {t.name for t in templates} == {deploy.template_of(u).name for u in wanted_by_target()}
    hardening = {}
    for template in templates:
        unit = deploy.read_unit(template)
        service = unit["Service"]
        assert service["User"] == "dvk" and service["Group"] == "dvk", template.name
        assert service["EnvironmentFile"] == "/etc/dvk/dvk.env", template.name
        assert service["WorkingDirectory"] == "/var/lib/dvk", template.name
        assert service["Restart"] in ("always", "on-failure"), template.name
        assert int(service["RestartSec"]) > 0 and int(unit["Unit"]["StartLimitBurst"]) > 0
        assert service["KillSignal"] == "SIGTERM" and int(service["TimeoutStopSec"]) >= 20
        assert "/var/lib/dvk" in service["ReadWritePaths"].split()
        assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
        assert unit["Unit"]["PartOf"] == "dvk.target"
        assert unit["Install"]["WantedBy"] == "dvk.target"
        hardening[template.name] = {key: deploy.values(unit, "Service", key) for key in HARDENING}
    first = next(iter(hardening.values()))
    assert all(len(values) > 0 for values in first.values())
    assert all(found == first for found in hardening.values()), "the units are hardened unlike"


def test_every_process_writes_its_metrics_into_the_folder_that_lives_as_long_as_they_run():
    folder = deploy.example_env()["PROMETHEUS_MULTIPROC_DIR"]
    keeper = deploy.read_unit(deploy.UNITS / "dvk-metrics.service")
    assert f"/run/{keeper['Service']['RuntimeDirectory']}" == folder
    assert keeper["Service"]["RemainAfterExit"] == "yes" and keeper["Service"]["User"] == "dvk"
    for template in deploy.UNITS.glob("dvk-*@.service"):
        unit = deploy.read_unit(template)
        assert "dvk-metrics.service" in unit["Unit"]["Requires"].split(), template.name
        assert "dvk-metrics.service" in unit["Unit"]["After"].split(), template.name
        assert folder in unit["Service"]["ReadWritePaths"].split(), template.name


def test_the_production_example_is_refused_until_its_secret_is_replaced():
    from shared.settings import SettingsError, checked

    example = deploy.example_env()
    assert example["DVK_ENV"] == "production" and example["DVK_TRUSTED_PROXIES"] == "1"
    with pytest.raises(SettingsError) as refused:
        checked(example)
    assert "SECRET_KEY" in str(refused.value) and "URL" not in str(refused.value)
    settings = checked(example | {"SECRET_KEY": secrets.token_hex(32)})
    assert settings.production and settings.trusted_proxies == 1
    assert str(settings.evidence_dir).startswith(example["DVK_DATA_DIR"])


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (CI installs systemd)")
    folder = deploy.units_for_verify(tmp_path / "units")
    units = ["dvk.target", "dvk-metrics.service", *wanted_by_target(), "dvk-worker@2.service"]
    result = deploy.verify(folder, units)
    ours = [line for line in (result.stdout + result.stderr).splitlines() if "dvk" in line]
    assert result.returncode == 0 and ours == [], result.stdout + result.stderr


def test_verify_reports_a_mistyped_setting_of_our_units(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (CI installs systemd)")
    folder = deploy.units_for_verify(tmp_path / "units")
    relay = folder / "dvk-relay@.service"
    relay.write_text(relay.read_text().replace("Restart=always", "Restart=alway"))
    result = deploy.verify(folder, ["dvk-relay@intake.service"])
    assert "dvk-relay@" in result.stdout + result.stderr


# ---- nginx ------------------------------------------------------------------------------------


def needs_nginx():
    if shutil.which("nginx") is None or shutil.which("openssl") is None:
        pytest.skip("nginx is not installed (CI installs it)")


def warnings(output: str) -> list[str]:
    # nginx after 1.25 prefers `http2 on;` to `listen ... http2`; the Debian 12 nginx needs the latter.
    return [line for line in output.splitlines() if re.search(r"\[(warn|emerg|alert|crit)\]", line)
            and "http2" not in line]


def test_the_nginx_site_passes_nginx_t(tmp_path):
    needs_nginx()
    result = deploy.nginx(deploy.nginx_prefix(tmp_path / "nginx"), "-t", timeout=60)
    assert result.returncode == 0, result.stderr
    assert warnings(result.stderr) == []


def megabytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", size).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


def test_nginx_takes_the_largest_upload_the_services_accept():
    common = (deploy.SITE / "snippets" / "dvk-common.conf").read_text()
    allowed = megabytes(re.search(r"client_max_body_size (\w+);", common).group(1))
    evidence = from_env({}).evidence_max_bytes
    largest = max(3 * evidence + 64 * 1024,  # a result report's page takes three files at once
                  bulk_views.UPLOAD_LIMIT)  # a registration workbook
    assert largest < allowed <= largest * 1.25


class Echo(BaseHTTPRequestHandler):
    """Stands for gunicorn: answers with the path, the headers and the size of what it got."""

    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.answer(0)

    def do_POST(self):  # noqa: N802
        self.answer(len(self.rfile.read(int(self.headers["Content-Length"]))))

    def answer(self, size: int) -> None:
        Echo.seen.append(self.path)
        body = json.dumps({"path": self.path, "headers": dict(self.headers), "size": size}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def proxied(tmp_path):
    """nginx with the site on high ports in front of an echo server; ``ask(method, path,
    host, headers, body)`` sends a request over HTTPS and returns (status, headers, echo)."""
    needs_nginx()
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    https, plain = deploy.free_port(), deploy.free_port()
    address = f"127.0.0.1:{upstream.server_address[1]}"
    top = deploy.nginx_prefix(
        tmp_path / "nginx",
        listen={"listen [::]:443 ssl http2;\n": "", "listen [::]:80;\n": "",
                "listen 443 ssl": f"listen 127.0.0.1:{https} ssl",
                "listen 80;": f"listen 127.0.0.1:{plain};"},
        upstreams={"127.0.0.1:5000": address, "127.0.0.1:5001": address})
    server = subprocess.Popen(["nginx", "-p", f"{top.parent}/", "-e", f"{top.parent}/logs/error.log",
                               "-c", str(top), "-g", "daemon off;"])
    context = ssl.create_default_context(cafile=top.parent / "ssl" / "fullchain.pem")
    context.check_hostname = False  # we connect to 127.0.0.1, not to the site's names

    def connect(port: int, tls: bool = True):
        if tls:
            return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def ask(method="GET", path="/", host="dvk.example.vn", headers=None, body=None, tls=True):
        connection = connect(https, True) if tls else connect(plain, False)
        try:
            connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
            response = connection.getresponse()
            raw = response.read()
            echoed = json.loads(raw) if response.getheader("Content-Type") == "application/json" else None
            return response.status, response.headers, echoed
        finally:
            connection.close()

    def listening():
        try:
            socket.create_connection(("127.0.0.1", https), timeout=1).close()
            return True
        except OSError:
            return server.poll() is not None

    wait_for(listening, timeout=20)
    assert server.poll() is None, (top.parent / "logs" / "error.log").read_text()
    Echo.seen = []
    yield ask
    server.send_signal(signal.SIGQUIT)
    server.wait(timeout=20)
    upstream.shutdown()
    upstream.server_close()


def test_nginx_gives_each_request_an_id_and_tells_the_service_who_asked_and_how(proxied):
    status, headers, echoed = proxied(path="/submissions")
    assert status == 200
    made = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert echoed["headers"]["X-Request-ID"] == made  # the service logs the id the user sees
    assert echoed["headers"]["X-Forwarded-Proto"] == "https"
    assert echoed["headers"]["X-Forwarded-Host"] == "dvk.example.vn"
    assert echoed["headers"]["X-Forwarded-For"] == "127.0.0.1"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

    _status, headers, echoed = proxied(headers={"X-Request-ID": "from-the-load-balancer.42"})
    assert headers["X-Request-ID"] == echoed["headers"]["X-Request-ID"] == "from-the-load-balancer.42"
    _status, headers, echoed = proxied(headers={"X-Request-ID": "x" * 65})
    assert re.fullmatch(r"[0-9a-f]{32}", echoed["headers"]["X-Request-ID"])  # not one to log as is


def test_nginx_sends_each_host_to_its_service_and_plain_http_to_https(proxied):
    _status, _headers, echoed = proxied(host="review.dvk.example.vn", path="/queue")
    assert echoed["headers"]["Host"] == "review.dvk.example.vn"
    assert echoed["headers"]["X-Forwarded-Host"] == "review.dvk.example.vn"
    status, headers, _echoed = proxied(path="/login?next=%2F", tls=False)
    assert status == 301 and headers["Location"] == "https://dvk.example.vn/login?next=%2F"


def test_nginx_keeps_metrics_private_and_lets_browsers_keep_static_files(proxied):
    for host in ("dvk.example.vn", "review.dvk.example.vn"):
        status, _headers, _echoed = proxied(path="/metrics", host=host)
        assert status == 403
    assert "/metrics" not in Echo.seen
    status, headers, _echoed = proxied(path="/static/app/app.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=3600"
    assert headers["Strict-Transport-Security"].startswith("max-age=")  # kept beside the cache header
    assert headers["X-Request-ID"]


def test_nginx_passes_three_full_evidence_files_and_stops_a_larger_body(proxied):
    three = 3 * from_env({}).evidence_max_bytes + 64 * 1024
    status, _headers, echoed = proxied("POST", "/reports/1/evidence", body=b"x" * three,
                                       headers={"Content-Type": "application/octet-stream"})
    assert status == 200 and echoed["size"] == three
    status, _headers, _echoed = proxied("POST", "/reports/1/evidence", body=b"x" * (33 * 1024 * 1024),
                                        headers={"Content-Type": "application/octet-stream"})
    assert status == 413


# ---- backup and restore -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def con_cuong(tmp_path_factory):
    """The Con Cuông data set loaded on the real engines, the pipeline then stopped (as an
    operator stops the services before a restore)."""
    from demo.load import load
    from tests.conftest import require_engines
    from tests.integration.system import start_system, stop_system
    from tests.support.engines import broker_in_use

    require_engines("real")
    with broker_in_use():
        system = start_system("real", tmp_path_factory.mktemp("real"))
        try:
            load(system.intake.application, system.review.application, log=lambda _line: None)
            yield system
        finally:
            stop_system(system)


def bearer(system, username: str) -> dict:
    from intake_service.accounts import services as accounts
    from intake_service.accounts.tables import User
    from shared import tokens

    with system.intake.application.extensions["intake"].sessions() as db:
        user = db.scalar(select(User).where(User.username == username))
        return {"Authorization": "Bearer " + tokens.issue(system.settings.secret_key,
                                                          accounts.identity_of(user))}


def add_evidence(system, period_id: int) -> tuple[int, bytes]:
    """A late unit starts its result report and attaches the minutes of its meeting."""
    from demo import con_cuong as data

    model = data.MODEL_BY_KEY[data.NOT_REPORTED[0]]
    auth = bearer(system, model.submitter)
    mine = system.intake.get("/api/submissions", headers=auth).get_json()["items"]
    model_id = next(row["id"] for row in mine if row["title"] == model.title)
    report = system.intake.post(f"/api/models/{model_id}/reports", headers=auth, json={
        "period_id": period_id, "money_vnd": "12.000.000", "narrative": "Đang tổng hợp"})
    assert report.status_code == 201, report.get_json()
    content = b"%PDF-1.4\n% bien ban hop dan ban\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"
    kept = system.intake.post(f"/api/reports/{report.get_json()['id']}/evidence", headers=auth,
                              data={"file": (io.BytesIO(content), "bien-ban-hop-dan.pdf")})
    assert kept.status_code == 201, kept.get_json()
    return kept.get_json()["id"], content


def report_figures(system, period_id: int):
    """The district's report as the summary tables give it, and as the oracle counts it from
    the submissions (the two must agree)."""
    from intake_service.periods.tables import Period
    from intake_service.reporting import services
    from shared.identity import Identity
    from tests.support import report_oracle

    admin = Identity(0, "Quản trị", "admin", "con-cuong")
    now, today = datetime(2026, 1, 1, tzinfo=UTC), date(2026, 1, 1)
    with system.intake.application.extensions["intake"].sessions() as db:
        period = db.get(Period, period_id)
        report = services.build_report(db, admin, "con-cuong", period, today)
        codes = services.check_scope(db, admin, "con-cuong").communes("con-cuong")
        return (report_oracle.summarised(report, db, period, codes, today),
                report_oracle.figures(db, period, codes, now, today))


def h1_2024(system) -> int:
    from intake_service.periods.tables import Period

    with system.intake.application.extensions["intake"].sessions() as db:
        return db.scalar(select(Period.id).where(Period.kind == "H1", Period.year == 2024))


def district_report(system, period_id: int) -> dict:
    response = system.intake.get(f"/api/report?org=con-cuong&period={period_id}",
                                 headers=bearer(system, "lanhdao"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def committee_sessions(system) -> list:
    return system.review.get("/api/committee/sessions",
                             headers=bearer(system, "chutich")).get_json()["items"]


def dispose(system) -> None:
    for app, name in ((system.intake.application, "intake"), (system.review.application, "review")):
        app.extensions[name].engine.dispose()


def test_a_backup_brings_back_the_district_report_and_its_evidence_after_everything_is_lost(
        con_cuong, tmp_path):
    from demo import con_cuong as data
    from tests.support.engines import drop_databases

    system = con_cuong
    period = h1_2024(system)
    evidence_id, content = add_evidence(system, period)
    before = report_figures(system, period), district_report(system, period), committee_sessions(system)
    system.stack.stop_all()
    env = deploy.env_file(tmp_path / "dvk.env", system.env)

    backed_up = deploy.run_tool("backup.sh", "--env-file", str(env), "--into", str(tmp_path / "backups"))
    assert backed_up.returncode == 0, backed_up.stderr
    folder = Path(backed_up.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups" and re.fullmatch(r"dvk-\d{8}T\d{6}Z", folder.name)
    assert sorted(p.name for p in folder.iterdir()) == [
        "MANIFEST", "SHA256SUMS", "evidence.tar.gz", "imports.tar.gz", "intake.dump", "review.dump"]

    dispose(system)
    drop_databases(system.env)
    evidence_dir = system.settings.evidence_dir
    shutil.rmtree(evidence_dir)

    restored = deploy.run_tool("restore.sh", "--env-file", str(env), str(folder))
    assert restored.returncode == 0, restored.stderr
    after = report_figures(system, period), district_report(system, period), committee_sessions(system)
    assert after == before
    assert after[0][0] == after[0][1]  # the summary tables agree with the submissions
    report = after[1]
    assert report["registered"]["total"] == 177
    assert {code: Decimal(report["contributions"][code]) for code in data.CONTRIBUTIONS} == \
        data.CONTRIBUTIONS
    stored = [p for p in evidence_dir.rglob("*") if p.is_file() and p.read_bytes() == content]
    assert stored, "the evidence file is not back byte for byte"
    model = data.MODEL_BY_KEY[data.NOT_REPORTED[0]]
    with system.intake.get(f"/api/evidence/{evidence_id}", headers=bearer(system, model.submitter)) as got:
        assert got.status_code == 200 and got.data == content

    again = deploy.run_tool("restore.sh", "--env-file", str(env), str(folder))
    assert again.returncode == 1
    assert "refusing: the intake database" in again.stderr and "nothing was changed" in again.stderr
    assert "refusing: the evidence folder" in again.stderr


def test_the_backup_tools_pass_shellcheck():
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed")
    tools = [str(deploy.DEPLOY / name) for name in ("backup.sh", "restore.sh", "dvk-env.sh")]
    result = subprocess.run(["shellcheck", "--shell=bash", "--external-sources", *tools],
                            cwd=deploy.ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    folder = tmp_path / "dvk-20260101T000000Z"
    folder.mkdir()
    for name in ("intake.dump", "review.dump", "evidence.tar.gz", "imports.tar.gz"):
        (folder / name).write_bytes(b"dump of " + name.encode())
    (folder / "MANIFEST").write_text("format: dvk-backup 1\nstarted: 2026-01-01T00:00:00Z\n")
    subprocess.run("sha256sum intake.dump review.dump evidence.tar.gz imports.tar.gz MANIFEST "
                   "> SHA256SUMS", shell=True, cwd=folder, check=True)
    (folder / "review.dump").write_bytes(b"dump of review.dumP")
    env = deploy.env_file(tmp_path / "dvk.env", {
        "INTAKE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "REVIEW_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "DVK_DATA_DIR": str(tmp_path / "data")})
    result = deploy.run_tool("restore.sh", "--env-file", str(env), str(folder))
    assert result.returncode == 1
    assert "checksums do not match" in result.stderr
    assert not (tmp_path / "data").exists()
