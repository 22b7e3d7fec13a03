"""A unit imports its registrations from a spreadsheet, in a real browser against the Procfile's
processes: it downloads the template, fills it, uploads it, watches the progress bar while the
rq worker checks every row, and finds the registrations in its list — or, when a row is wrong,
gets the row and the reason, and nothing is imported.

The unit reads the pages in English here: the import's own texts may not be translated yet.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from intake_service.bulk import reader

IMPORT_MS = 60_000  # 2,000 rows checked and saved by the worker on a cold machine


def open_import_page(page: Page, site) -> None:
    page.goto(f"{site.intake}/submissions")
    page.locator("#import-link").click()
    expect(page).to_have_url(f"{site.intake}/submissions/import")


def download_template(page: Page, folder: Path) -> Path:
    with page.expect_download() as download:
        page.locator("#template-link").click()
    path = folder / "mau.xlsx"
    download.value.save_as(path)
    return path


def fill(template: Path, rows: list[dict], out: Path) -> Path:
    """What the unit does in its spreadsheet program: one registration per row from row 3."""
    book = load_workbook(template)
    sheet = book.worksheets[0]
    keys = [cell.value for cell in sheet[reader.KEY_ROW]]
    for number, values in enumerate(rows, start=reader.FIRST_ROW):
        for key, value in values.items():
            sheet.cell(number, keys.index(key) + 1, value)
    book.save(out)
    return out


def upload(page: Page, site, workbook: Path) -> None:
    page.set_input_files("#file", str(workbook))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"^{site.intake}/submissions/import/\d+$"))


def row(n: int) -> dict:
    return {"title": f"Mô hình dân vận khéo số {n} của xã Môn Sơn", "field": "Xây dựng nông thôn mới",
            "subject_type": "Tập thể", "funding_vnd": 1_000_000 + n}


def test_a_unit_imports_a_full_spreadsheet_and_watches_it_through(site, people, tmp_path):
    hoa = people("donvi")
    hoa.context.add_cookies([{"name": "lang", "value": "en", "url": site.intake}])
    open_import_page(hoa, site)
    template = download_template(hoa, tmp_path)
    rows = [row(n) for n in range(1, reader.MAX_ROWS + 1)]
    upload(hoa, site, fill(template, rows, tmp_path / "hoa.xlsx"))

    expect(hoa.locator("#import-bar")).to_be_visible()  # the worker is still at it
    expect(hoa.locator("#import-bar")).to_have_attribute("max", str(reader.MAX_ROWS))
    expect(hoa.locator("#import-progress")).to_have_attribute("data-status", "done", timeout=IMPORT_MS)
    expect(hoa.locator("#import-bar")).to_have_count(0)
    expect(hoa.locator("#import-created")).to_have_text("2.000 registrations created as drafts.")

    hoa.locator("#to-submissions").click()
    expect(hoa).to_have_url(f"{site.intake}/submissions")
    expect(hoa.locator("main table a", has_text=rows[-1]["title"])).to_be_visible()


def test_a_spreadsheet_with_a_bad_row_imports_nothing_and_shows_the_row_and_why(site, people, tmp_path):
    hoa = people("donvi")
    hoa.context.add_cookies([{"name": "lang", "value": "en", "url": site.intake}])
    open_import_page(hoa, site)
    template = download_template(hoa, tmp_path)
    bad = [row(1) | {"title": "Mới được nhập lần hai"}, row(2) | {"title": "Mô"},
           row(3) | {"title": "Cũng không được nhập lần hai"}]
    upload(hoa, site, fill(template, bad, tmp_path / "hoa-sai.xlsx"))

    expect(hoa.locator("#import-progress")).to_have_attribute("data-status", "rejected",
                                                             timeout=IMPORT_MS)
    errors = hoa.locator("#row-errors tr.row-error")
    expect(errors).to_have_count(1)
    expect(errors.locator("td")).to_have_text(["4", "Name of the model",
                                               "The name must be between 5 and 200 characters."])
    hoa.goto(f"{site.intake}/submissions")
    expect(hoa.locator("main table a", has_text="Mới được nhập lần hai")).to_have_count(0)
