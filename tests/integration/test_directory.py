"""The administrator keeps the directory: org tree with its history, units, people, imports."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from intake_service.accounts.tables import User
from intake_service.directory.seed import seed_con_cuong
from intake_service.directory.tables import OrgUnit, Unit
from intake_service.tables import outbox
from shared import events
from shared.settings import from_env
from tests.support import templates
from tests.support.people import SECRET_KEY, browser, cast
from tests.support.web import csrf, intake_app, sign_in

PEOPLE = cast("quantri", "donvi", "xa", "huyen", "bcd")
PAGES = ("/admin/directory", "/admin/directory/units", "/admin/directory/people",
         "/admin/directory/import")
ORG_CSV = (
    "code,name,level,parent,valid_from,valid_to,successor\n"
    "nghe-an,Tỉnh Nghệ An,province,,1/1/2024,,\n"
    "con-cuong,Huyện Con Cuông,district,nghe-an,1/1/2024,30/6/2025,\n"
    "bong-khe,Xã Bồng Khê,commune,con-cuong,1/1/2024,31/12/2024,tra-lan\n"
    "tra-lan,Thị trấn Trà Lân,township,con-cuong,2025-01-01,30/6/2025,\n"
)


@pytest.fixture
def app(tmp_path):
    with intake_app(tmp_path, PEOPLE, template="schema") as app:  # an empty directory
        yield app


@pytest.fixture
def admin(app):
    return browser(app, "quantri")


def upload(client, kind: str, filename: str, content: bytes):
    token = csrf(client.get("/admin/directory/import").get_data(as_text=True))
    # Encoded here, in memory: the test client would spool a large body to an unclosed temp file.
    boundary, body = encode_multipart({"csrf_token": token, "kind": kind,
                                       "file": FileStorage(io.BytesIO(content), filename)})
    return client.post("/admin/directory/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def count(app, model) -> int:
    with app.extensions["intake"].sessions() as db:
        return db.scalar(select(func.count()).select_from(model))


def sent_events(app) -> list[events.Event]:
    with app.extensions["intake"].sessions() as db:
        bodies = db.scalars(select(outbox.c.body).order_by(outbox.c.id))
        return [events.decode(json.loads(body)) for body in bodies]


def test_an_admin_imports_the_org_tree_from_csv_and_each_unit_is_announced(app, admin):
    response = upload(admin, "org_units", "cay-to-chuc.csv", ORG_CSV.encode())
    assert response.status_code == 302, response.get_data(as_text=True)
    assert count(app, OrgUnit) == 4
    announced = {e.payload["code"]: e for e in sent_events(app)}
    assert announced["bong-khe"].type == events.ORG_UNIT_CHANGED
    assert announced["bong-khe"].payload["successor_code"] == "tra-lan"
    assert announced["bong-khe"].aggregate_version == 1


def test_importing_the_same_file_again_changes_nothing_and_a_change_bumps_the_version(app, admin):
    upload(admin, "org_units", "a.csv", ORG_CSV.encode())
    upload(admin, "org_units", "a.csv", ORG_CSV.encode())
    assert len(sent_events(app)) == 4
    renamed = ORG_CSV.replace("Xã Bồng Khê", "Xã Bồng Khê (cũ)")
    upload(admin, "org_units", "a.csv", renamed.encode())
    last = sent_events(app)[-1]
    assert (last.payload["name"], last.aggregate_version) == ("Xã Bồng Khê (cũ)", 2)


def test_an_admin_imports_units_and_users_from_xlsx(app, admin):
    upload(admin, "org_units", "a.csv", ORG_CSV.encode())
    units = xlsx([["code", "name", "kind", "org_code"],
                  ["bong-khe-hlhpn", "Hội LHPN xã Bồng Khê", "womens_union", "bong-khe"],
                  ["bong-khe-cstt", "Công an xã Bồng Khê", "police", "bong-khe"]])
    assert upload(admin, "units", "don-vi.xlsx", units).status_code == 302
    users = xlsx([["username", "name", "role", "scope", "password"],
                  ["bongkhe1", "Vi Thị Thu", "submitter", "bong-khe", "mat-khau-ban-dau"],
                  ["huyen2", "Lữ Văn Hải", "district_reviewer", "con-cuong", "mat-khau-ban-dau"]])
    assert upload(admin, "users", "nguoi-dung.xlsx", users).status_code == 302
    assert count(app, Unit) == 2
    fresh = app.test_client()
    assert sign_in(fresh, "bongkhe1", "mat-khau-ban-dau").status_code == 302
    with app.extensions["intake"].sessions() as db:
        stored = db.scalar(select(User).where(User.username == "bongkhe1"))
        assert stored.password_hash != "mat-khau-ban-dau" and stored.scope == "bong-khe"


def test_an_xlsx_with_one_bad_row_imports_nothing_and_says_which_row_and_why(app, admin):
    upload(admin, "org_units", "a.csv", ORG_CSV.encode())
    before = len(sent_events(app))
    users = xlsx([["username", "name", "role", "scope", "password"],
                  ["bongkhe1", "Vi Thị Thu", "submitter", "bong-khe", "mat-khau-ban-dau"],
                  ["bongkhe2", "Lô Văn Sơn", "truong_thon", "bong-khe", "mat-khau-ban-dau"],
                  ["bongkhe3", "Kha Thị Hằng", "submitter", "bong-khe", "mat-khau-ban-dau"]])
    response = upload(admin, "users", "nguoi-dung.xlsx", users)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<td>3</td><td>role</td>' in page
    assert "Chưa có dữ liệu nào được nhập" in page
    with app.extensions["intake"].sessions() as db:
        assert db.scalar(select(User).where(User.username.like("bongkhe%"))) is None
    assert len(sent_events(app)) == before


@pytest.mark.parametrize(("rows", "row", "column"), [
    ([["x-1", "Xã X", "commune", "khong-co", "1/1/2024", None, None]], 2, "parent"),
    ([["x-1", "Xã X", "province", "con-cuong", "1/1/2024", None, None]], 2, "level"),
    ([["x-1", "Xã X", "commune", "con-cuong", "1/1/2025", "1/1/2024", None]], 2, "valid_to"),
    ([["x-1", "Xã X", "commune", "con-cuong", "31/2/2024", None, None]], 2, "valid_from"),
    ([["x-1", "Xã X", "commune", "con-cuong", "1/1/2024", None, "tra-lan"]], 2, "valid_to"),
    ([["x-1", "Xã X", "commune", "con-cuong", "1/1/2024", None, None],
      ["x-1", "Xã Y", "commune", "con-cuong", "1/1/2024", None, None]], 3, "code"),
    ([["<script>", "Xã X", "commune", "con-cuong", "1/1/2024", None, None]], 2, "code"),
])
def test_a_bad_org_unit_row_is_reported_with_its_row_and_column(app, admin, rows, row, column):
    upload(admin, "org_units", "a.csv", ORG_CSV.encode())
    header = ["code", "name", "level", "parent", "valid_from", "valid_to", "successor"]
    response = upload(admin, "org_units", "a.xlsx", xlsx([header, *rows]))
    assert response.status_code == 422
    assert f"<td>{row}</td><td>{column}</td>" in response.get_data(as_text=True)
    assert count(app, OrgUnit) == 4


@pytest.mark.parametrize(("filename", "content"), [
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50),
    ("gia.xlsx", b"not a zip at all"),
    ("hong.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    ("latin1.csv", "code,name\nx,Xã Đông\n".encode("cp1258", "ignore") + b"\xff\xfe"),
    ("empty.csv", b""),
    ("doi-ten.csv", xlsx([["code"]])),
])
def test_a_file_that_is_not_a_readable_table_gets_a_message_not_a_500(admin, filename, content):
    response = upload(admin, "org_units", filename, content)
    assert response.status_code == 422
    assert 'class="error" role="alert"' in response.get_data(as_text=True)


def test_a_file_over_the_size_cap_gets_a_message(admin):
    response = upload(admin, "org_units", "lon.csv", b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert "1 MB" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["donvi", "xa", "huyen", "bcd"])
def test_only_an_admin_sees_any_directory_page(app, username):
    client = app.test_client()
    sign_in(client, username)
    for page in PAGES:
        assert client.get(page).status_code == 403, page
    token = csrf(client.get("/login").get_data(as_text=True))
    posted = client.post("/admin/directory/import", data={"csrf_token": token, "kind": "users"})
    assert posted.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(app):
    assert app.test_client().get("/admin/directory").status_code == 302


def test_the_org_tree_shows_validity_and_successor_links(app, admin):
    with app.extensions["intake"].uow() as uow:
        seed_con_cuong(uow)
    page = admin.get("/admin/directory").get_data(as_text=True)
    assert 'id="org-bong-khe"' in page
    assert '<a href="#org-tra-lan" class="successor">Thị trấn Trà Lân</a>' in page
    assert '<a href="#org-con-cuong-2025" class="successor">Xã Con Cuông</a>' in page
    assert "31/12/2024" in page
    units = admin.get("/admin/directory/units").get_data(as_text=True)
    assert "Hội LHPN xã Môn Sơn" in units
    assert "Vi Thị Nguyệt" in admin.get("/admin/directory/people").get_data(as_text=True)


def test_review_keeps_its_own_copy_of_the_tree_and_ignores_older_or_repeated_news(app, admin, tmp_path):
    from review_service import consumer
    from review_service.bootstrap import bootstrap as bootstrap_review
    from review_service.mirrors.directory import OrgUnitCopy

    settings = from_env({"DVK_DATA_DIR": str(tmp_path), "SECRET_KEY": SECRET_KEY})
    templates.clone("review", "schema", settings.review_database_url)
    review = bootstrap_review(settings)
    handle = consumer.handler(review)
    upload(admin, "org_units", "a.csv", ORG_CSV.encode())
    upload(admin, "org_units", "a.csv", ORG_CSV.replace("Xã Bồng Khê", "Xã Bồng Khê mới").encode())
    news = sent_events(app)
    for event in [*reversed(news), news[0]]:  # out of order, and one delivered twice
        handle(event)
    with review.sessions() as db:
        copy = db.get(OrgUnitCopy, "bong-khe")
        assert (copy.name, copy.version, copy.successor_code) == ("Xã Bồng Khê mới", 2, "tra-lan")
        assert db.scalar(select(func.count()).select_from(OrgUnitCopy)) == 4
    review.engine.dispose()
