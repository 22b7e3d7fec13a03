"""Every variable the code reads is in the README's Configuration table, so an operator can find it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("intake_service", "review_service", "shared")
# ``from_env`` reads through its Reader (``read.number("DVK_MAX_ATTEMPTS", ...)``); feature
# settings read the mapping it kept (``env.get("DVK_PERIOD_KINDS")``, ``environ["SMTP_HOST"]``).
READS = (re.compile(r"\bread\.\w+\(\s*\"([A-Z][A-Z0-9_]+)\""),
         re.compile(r"\b(?:env|environ)(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]+)\""))
PROCFILE_VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")


def variables_read() -> set[str]:
    names = set()
    for package in CODE:
        for source in (ROOT / package).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            names |= {name for pattern in READS for name in pattern.findall(text)}
    return names | set(PROCFILE_VARIABLE.findall((ROOT / "Procfile").read_text()))


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = (line.split("|")[1] for line in table.splitlines() if line.startswith("| `"))
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}


def test_the_scan_finds_what_the_shared_and_the_feature_settings_read():
    assert {"SECRET_KEY", "DVK_MAX_ATTEMPTS", "DVK_PERIOD_KINDS", "SMTP_HOST",
            "INTAKE_PORT"} <= variables_read()


def test_every_variable_read_is_in_the_readme_configuration_table():
    missing = sorted(variables_read() - documented())
    assert not missing, f"not in README's Configuration table: {', '.join(missing)}"
