"""The Vietnamese catalog is complete, its placeholders match, and the compiled .mo is current.

Vietnamese is the default language, so an untranslated msgid shows English to a commune or
district official. When one of these tests fails, run ``make translations`` (it keeps the
existing translations), fill the empty or fuzzy ``msgstr`` in
``shared/translations/vi/LC_MESSAGES/messages.po`` and run ``make translations`` again.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "shared" / "translations"
LOCALES = ("vi", "en")
# The same sources and keywords as `make translations` (pybabel extract -k _l ...).
SOURCE_DIRS = ("intake_service", "review_service", "shared")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}

# printf-style conversions: %(name)s, %s, %d, %% ... (Jinja's gettext always applies `%`).
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _po(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def _mo_messages(data: bytes) -> dict:
    catalog = read_mo(io.BytesIO(data))
    return {(_forms(m.id), m.context): _forms(m.string) for m in catalog if m.id}


def _forms(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _describe(message) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in message.locations) or "no location"
    return f"{_forms(message.id)[0]!r} ({where})"


def test_every_vietnamese_message_is_translated():
    untranslated = [
        _describe(m) for m in _po("vi")
        if m.id and (m.fuzzy or not all(s.strip() for s in _forms(m.string)))
    ]
    assert not untranslated, "empty or fuzzy msgstr in vi/messages.po:\n  " + "\n  ".join(untranslated)


def test_vietnamese_placeholders_match_the_msgids():
    wrong = []
    for message in _po("vi"):
        if not message.id:
            continue
        expected = set().union(*(_placeholders(i) for i in _forms(message.id)))
        for string in _forms(message.string):
            if not string:
                continue
            stray = PLACEHOLDER.sub("", string).count("%")
            if _placeholders(string) != expected or stray:
                wrong.append(f"{_describe(message)} -> {string!r}")
    assert not wrong, "placeholders differ from the msgid:\n  " + "\n  ".join(wrong)


def test_vietnamese_catalog_passes_babel_checks():
    problems = [f"{_describe(m)}: {'; '.join(map(str, errors))}" for m, errors in _po("vi").check()]
    assert not problems, "\n".join(problems)


def test_every_string_in_the_code_is_in_the_vietnamese_catalog():
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    in_code: dict[tuple[str, str | None], str] = {}
    for directory in SOURCE_DIRS:
        for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT / directory, method_map, options_map, keywords=KEYWORDS
        ):
            msgid = _forms(message)[0]
            if msgid:
                in_code.setdefault((msgid, context), f"{directory}/{filename}:{lineno}")
    catalog = _po("vi")
    missing = [f"{msgid!r} ({where})" for (msgid, context), where in in_code.items()
               if catalog.get(msgid, context=context) is None]
    assert not missing, (
        "strings not yet in the catalog, run `make translations` and translate them:\n  "
        + "\n  ".join(missing)
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_matches_the_po(locale):
    compiled = io.BytesIO()
    write_mo(compiled, _po(locale))
    on_disk = (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert _mo_messages(on_disk) == _mo_messages(compiled.getvalue()), (
        f"{locale}/messages.mo is out of date; run `make translations`"
    )
