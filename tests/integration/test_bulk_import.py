"""A unit imports its registrations from the XLSX template: the upload is checked at once, an rq
job (run here by a real worker) validates every row and creates them all in one transaction —
as drafts, or submitted with their events in the outbox — or creates nothing and lists every bad
row. Runs on the embedded defaults and on real PostgreSQL and Redis."""

from __future__ import annotations

import functools
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from intake_service.accounts import services as accounts
from intake_service.app import create_app
from intake_service.bulk import jobs, reader
from intake_service.bulk.rows import COLUMNS
from intake_service.bulk.tables import Import
from intake_service.submissions import services
from intake_service.submissions.tables import Submission
from intake_service.tables import outbox
from shared import events, tokens
from shared import jobs as job_queue
from shared.settings import from_env
from tests.support.jobs import run_jobs
from tests.support.people import SECRET_KEY, add_people, browser, cast
from tests.support.web import csrf

PEOPLE = cast("donvi", "donvi3", "xa", "admin")
ROWS = [
    {"title": "Hội LHPN xã Môn Sơn vận động hiến đất làm đường", "field": "Xây dựng nông thôn mới",
     "subject_type": "Tập thể", "funding_vnd": 1139000000, "labour_days": "8.524"},
    {"title": "Chi đoàn bản Khe Choăng giữ rừng đầu nguồn", "field": "economy",
     "subject_type": "collective", "unit_name": "Chi đoàn bản Khe Choăng"},
    {"title": "Gương mẫu hiến đất làm nhà văn hóa bản", "field": "culture_society",
     "subject_type": "individual", "person_name": "Vi Văn Pín"},
]


@pytest.fixture
def app(intake_env, monkeypatch):
    # A queue of this run's own: the real Redis is shared with other test runs.
    app = create_app(from_env())
    app.people = add_people(app.extensions["intake"].sessions, PEOPLE)
    yield app
    app.extensions["intake"].engine.dispose()


@pytest.fixture
def signed_in(app):
    """``signed_in(username)``: an intake client signed in, reading English."""
    return functools.partial(browser, app, lang="en")


def run_worker() -> None:
    """What the Procfile's worker does, for the jobs queued so far."""
    run_jobs()


def workbook(client, rows: list[dict]) -> bytes:
    """The template as the client downloads it, with ``rows`` typed in from row 3."""
    response = client.get("/submissions/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    keys = [cell.value for cell in sheet[reader.KEY_ROW]]
    for number, values in enumerate(rows, start=reader.FIRST_ROW):
        for key, value in values.items():
            sheet.cell(number, keys.index(key) + 1, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, filename: str = "dang-ky.xlsx", submit: bool = False):
    token = csrf(client.get("/submissions/import").get_data(as_text=True))
    fields = {"csrf_token": token, "file": FileStorage(io.BytesIO(content), filename)}
    if submit:
        fields["and_submit"] = "1"
    # Encoded here, in memory: the test client would spool a large body to an unclosed temp file.
    boundary, body = encode_multipart(fields)
    return client.post("/submissions/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def submissions(app) -> list[Submission]:
    with app.extensions["intake"].sessions() as db:
        return list(db.scalars(select(Submission).order_by(Submission.id)))


def sent_events(app) -> list[events.Event]:
    with app.extensions["intake"].sessions() as db:
        return [events.decode(json.loads(body)) for body in db.scalars(select(outbox.c.body))]


def imports(app) -> int:
    with app.extensions["intake"].sessions() as db:
        return db.scalar(select(func.count()).select_from(Import))


# ---- a good file ---------------------------------------------------------------------------


def test_every_row_of_a_good_file_becomes_a_draft_and_the_page_stops_polling(app, signed_in):
    hoa = signed_in("donvi")
    response = upload(hoa, workbook(hoa, ROWS))
    assert response.status_code == 303
    status_url = response.headers["Location"]
    waiting = hoa.get(status_url).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in waiting and "<progress" in waiting and 'max="3"' in waiting
    assert submissions(app) == []

    run_worker()

    fragment = hoa.get(status_url, headers={"HX-Request": "true", "HX-Target": "import-progress"})
    page = fragment.get_data(as_text=True)
    assert page.startswith('<section id="import-progress" data-status="done"')
    assert "hx-trigger" not in page
    assert "3 registrations created as drafts." in page
    created = submissions(app)
    assert [(s.title, s.status, s.submitter_id, s.commune_code) for s in created] == [
        (row["title"], "draft", app.people["donvi"].id, "mon-son") for row in ROWS]
    assert (created[0].field, created[0].subject_type) == ("new_rural", "collective")
    assert (created[0].funding_vnd, created[0].labour_days) == (1_139_000_000, 8524)
    assert created[2].person_name == "Vi Văn Pín"
    assert sent_events(app) == []  # drafts announce nothing
    listing = hoa.get("/submissions/import").get_data(as_text=True)
    assert "dang-ky.xlsx" in listing and 'data-status="done"' in listing


def test_submitting_now_submits_every_row_with_its_event_in_the_same_transaction(app, signed_in):
    hoa = signed_in("donvi")
    upload(hoa, workbook(hoa, ROWS), submit=True)
    run_worker()
    assert [s.status for s in submissions(app)] == ["submitted"] * 3
    sent = sent_events(app)
    assert [e.type for e in sent] == [events.SUBMISSION_SUBMITTED] * 3
    assert sorted(e.payload["title"] for e in sent) == sorted(row["title"] for row in ROWS)


def test_an_import_queued_twice_is_imported_once(app, signed_in):
    hoa = signed_in("donvi")
    upload(hoa, workbook(hoa, ROWS))
    settings = from_env()
    again = job_queue.queue(settings).enqueue(jobs.JOB, 1)
    run_worker()
    assert again.return_value() == "skipped"
    assert len(submissions(app)) == 3


def test_a_save_that_breaks_off_midway_keeps_nothing_and_the_import_says_so(app, signed_in,
                                                                          monkeypatch):
    hoa = signed_in("donvi")
    status_url = upload(hoa, workbook(hoa, ROWS), submit=True).headers["Location"]
    save_draft, saved = services.save_draft, []

    def breaking_on_the_third(cmd, uow):
        if len(saved) == 2:
            raise RuntimeError("database went away")
        saved.append(save_draft(cmd, uow))
        return saved[-1]

    monkeypatch.setattr(services, "save_draft", breaking_on_the_third)
    run_worker()
    assert len(saved) == 2 and submissions(app) == [] and sent_events(app) == []
    page = hoa.get(status_url).get_data(as_text=True)
    assert 'data-status="failed"' in page and "nothing was written" in page


def test_an_import_whose_worker_died_is_marked_failed_by_the_sweep_and_its_page_says_so(
        app, signed_in):
    hoa = signed_in("donvi")
    status_url = upload(hoa, workbook(hoa, ROWS)).headers["Location"]
    with app.extensions["intake"].uow() as uow:  # its worker took it, then was killed
        uow.session.execute(update(Import).values(
            status="running", updated_at=datetime.now(UTC) - timedelta(hours=1)))
        uow.commit()
    assert 'data-status="running"' in hoa.get(status_url).get_data(as_text=True)

    assert jobs.fail_abandoned_imports() == 1
    assert jobs.fail_abandoned_imports() == 0
    page = hoa.get(status_url).get_data(as_text=True)
    assert 'data-status="failed"' in page and "please upload the file again" in page


def test_the_sweep_leaves_an_import_that_is_still_moving(app, signed_in):
    hoa = signed_in("donvi")
    upload(hoa, workbook(hoa, ROWS))
    assert jobs.fail_abandoned_imports() == 0
    run_worker()
    assert len(submissions(app)) == 3


# ---- a file with bad rows ------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_the_report_lists_every_bad_row(app, signed_in):
    hoa = signed_in("donvi")
    bad = [ROWS[0], ROWS[1] | {"title": "Mô"}, ROWS[2] | {"commune_code": "chau-khe", "labour_days": 1.5}]
    status_url = upload(hoa, workbook(hoa, bad), submit=True).headers["Location"]
    run_worker()
    assert submissions(app) == [] and sent_events(app) == []
    page = hoa.get(status_url).get_data(as_text=True)
    assert 'data-status="rejected"' in page and "hx-trigger" not in page
    assert "Nothing was imported: 3 problems were found." in page
    reported = re.findall(r'data-row="(\d+)" data-field="(\w+)"', page)
    assert reported == [("4", "title"), ("5", "commune_code"), ("5", "labour_days")]
    assert "<td>4</td><td>Name of the model</td><td>The name must be between 5 and 200 characters.</td>" \
        in page
    assert "only for your own commune" in page
    hoa.set_cookie("lang", "vi")  # the report speaks the reader's language
    assert "Tên mô hình" in hoa.get(status_url).get_data(as_text=True)


def test_a_disguised_file_is_refused_at_once_and_nothing_is_queued(app, signed_in):
    hoa = signed_in("donvi")
    response = upload(hoa, b"title,field,subject_type\nHoi Nong dan,economy,collective\n")
    assert response.status_code == 422
    assert "This is not an XLSX workbook." in response.get_data(as_text=True)
    assert imports(app) == 0


@pytest.mark.parametrize(("size", "status"), [(reader.MAX_BYTES + 1, 422), (30 * 1024 * 1024, 413)])
def test_a_file_over_the_limit_gets_a_friendly_page_with_the_form(app, signed_in, size, status):
    hoa = signed_in("donvi")
    too_big = upload(hoa, b"PK\x03\x04" + b"0" * size)
    assert too_big.status_code == status
    assert "larger than 5 MB" in too_big.get_data(as_text=True)
    assert 'name="file"' in too_big.get_data(as_text=True)  # the form, to try again
    assert imports(app) == 0


def test_a_file_over_the_sites_usual_limit_is_still_read(app, signed_in):
    hoa = signed_in("donvi")
    two_megabytes = upload(hoa, b"PK\x03\x04" + b"0" * 2 * 1024 * 1024)
    assert two_megabytes.status_code == 422  # read, and refused for what it is
    assert "This is not an XLSX workbook." in two_megabytes.get_data(as_text=True)
    assert imports(app) == 0


# ---- who may do what -----------------------------------------------------------------------


def test_another_submitter_cannot_see_someone_elses_import(app, signed_in):
    hoa = signed_in("donvi")
    status_url = upload(hoa, workbook(hoa, ROWS)).headers["Location"]
    phuc = signed_in("donvi3")
    assert phuc.get(status_url).status_code == 404
    assert "dang-ky.xlsx" not in phuc.get("/submissions/import").get_data(as_text=True)
    token = tokens.issue(SECRET_KEY, accounts.identity_of(app.people["donvi3"]))
    assert phuc.get("/api/imports/1", headers={"Authorization": f"Bearer {token}"}).status_code == 404


@pytest.mark.parametrize("username", ["admin", "xa"])
def test_only_a_submitter_may_import(app, signed_in, username):
    client = signed_in(username)
    assert client.get("/submissions/import").status_code == 403
    assert client.get("/submissions/import/template.xlsx").status_code == 403
    token = csrf(client.get("/submissions").get_data(as_text=True))
    assert client.post("/submissions/import", data={"csrf_token": token}).status_code == 403
    bearer = tokens.issue(SECRET_KEY, accounts.identity_of(app.people[username]))
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(b"x"), "a.xlsx")})
    response = client.post("/api/imports", data=body, headers={"Authorization": f"Bearer {bearer}"},
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 403


def test_the_template_is_a_valid_workbook_whose_header_matches(app, signed_in):
    response = signed_in("donvi").get("/submissions/import/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [cell.value for cell in sheet[2]] == list(COLUMNS)
    assert [cell.value for cell in sheet[1]][:4] == ["Name of the model *", "Field *", "Subject type *",
                                                     "Commune"]
    assert sheet["D3"].value == "mon-son"


# ---- the JSON API --------------------------------------------------------------------------


def test_the_api_takes_a_file_answers_202_and_reports_progress_then_the_outcome(app, signed_in):
    hoa = signed_in("donvi")
    content = workbook(hoa, ROWS)
    bearer = {"Authorization": "Bearer " + tokens.issue(SECRET_KEY,
                                                         accounts.identity_of(app.people["donvi"]))}
    client = app.test_client()
    client.set_cookie("lang", "en")
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), "api.xlsx"),
                                       "submit": "true"})
    response = client.post("/api/imports", data=body, headers=bearer,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 202
    queued = response.get_json()
    assert response.headers["Location"] == queued["url"]
    assert (queued["status"], queued["total"], queued["processed"], queued["submit"]) == (
        "queued", 3, 0, True)
    run_worker()
    done = client.get(queued["url"], headers=bearer).get_json()
    assert (done["status"], done["processed"], done["created"], done["errors"]) == ("done", 3, 3, [])
    assert len(sent_events(app)) == 3

    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(b"%PDF-1.7"), "a.xlsx")})
    refused = client.post("/api/imports", data=body, headers=bearer,
                          content_type=f"multipart/form-data; boundary={boundary}")
    assert refused.status_code == 422 and "not an XLSX" in refused.get_json()["error"]


def test_the_api_reports_every_bad_row(app, signed_in):
    hoa = signed_in("donvi")
    content = workbook(hoa, [ROWS[0], ROWS[1] | {"field": "thể thao"}])
    bearer = {"Authorization": "Bearer " + tokens.issue(SECRET_KEY,
                                                         accounts.identity_of(app.people["donvi"]))}
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(content), "api.xlsx")})
    client = app.test_client()
    url = client.post("/api/imports", data=body, headers=bearer,
                      content_type=f"multipart/form-data; boundary={boundary}").get_json()["url"]
    run_worker()
    client.set_cookie("lang", "en")
    report = client.get(url, headers=bearer).get_json()
    assert report["status"] == "rejected" and report["created"] == 0
    assert report["errors"] == [{"row": 4, "field": "field", "column": "Field",
                                 "message": "Choose one of the listed fields."}]
    assert submissions(app) == []
