"""The directory's JSON API: the org tree on a date, units, people by area, and the import."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from intake_service.accounts.tables import User
from tests.support.people import bearer, cast
from tests.support.web import intake_app, sign_in

PEOPLE = cast("quantri", "donvi", "donvi2", "xa", "huyen",
              xamoi=("Lương Thị Mai", "commune_reviewer", "mon-son-2025"))  # of the merged commune
ALL_PEOPLE = {"Lô Thị Hoa", "Vi Thị Nguyệt", "Lương Văn Khánh", "Vi Văn Tâm", "Kha Thị Dung"}
MON_SON = {"Lô Thị Hoa", "Vi Thị Nguyệt", "Lương Văn Khánh"}


@pytest.fixture
def app(tmp_path):
    with intake_app(tmp_path, PEOPLE) as app:  # Con Cuông's directory
        yield app


@pytest.fixture
def api(app):
    """Call the API as one of ``PEOPLE``, with a token issued as the account page issues it."""
    client = app.test_client()
    client.set_cookie("lang", "en")

    def call(method: str, path: str, username: str, **kwargs):
        return client.open(path, method=method, headers=bearer(app, username), **kwargs)

    return call


def upload(api, username: str, kind: str | None, filename: str, content: bytes):
    form = {"file": FileStorage(io.BytesIO(content), filename)}
    if kind is not None:
        form["kind"] = kind
    boundary, body = encode_multipart(form)
    return api("POST", "/api/directory/import", username, data=body,
               content_type=f"multipart/form-data; boundary={boundary}")


def codes(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [unit["code"] for unit in response.get_json()["items"]]


# ---- the org tree ----------------------------------------------------------------------------


def test_the_whole_tree_shows_each_units_validity_successor_and_what_it_was_formed_from(api):
    tree = {u["code"]: u for u in api("GET", "/api/directory/org-units", "donvi").get_json()["items"]}
    assert tree["bong-khe"]["valid_to"] == "2024-12-31"
    assert tree["bong-khe"]["successor_code"] == "tra-lan"
    assert tree["tra-lan"]["formed_from"] == ["bong-khe", "chi-khe-tien-thanh", "tt-con-cuong"]
    assert list(tree)[0] == "nghe-an"  # depth first: parents before their children


@pytest.mark.parametrize(("on", "present", "absent"), [
    ("2024-06-30", {"mon-son", "bong-khe", "con-cuong"}, {"tra-lan", "mon-son-2025"}),
    ("30/6/2024", {"mon-son", "bong-khe"}, {"tra-lan"}),
    ("2025-03-01", {"tra-lan", "mon-son"}, {"bong-khe", "mon-son-2025"}),
    ("2025-07-01", {"mon-son-2025", "nghe-an"}, {"con-cuong", "mon-son", "tra-lan"}),
])
def test_the_tree_on_a_day_holds_only_the_units_that_existed_that_day(api, on, present, absent):
    response = api("GET", "/api/directory/org-units", "donvi", query_string={"on": on})
    found = set(codes(response))
    assert present <= found and not absent & found


@pytest.mark.parametrize("on", ["yesterday", "2024-13-01", "31/2/2024", "<script>x</script>",
                                "9" * 5000, "2024-06-30T00:00:00"])
def test_a_bad_date_is_a_422_naming_the_parameter(api, on):
    response = api("GET", "/api/directory/org-units", "donvi", query_string={"on": on})
    assert response.status_code == 422
    assert "day/month/year" in response.get_json()["fields"]["on"][0]


def test_every_signed_in_user_reads_the_units(api):
    assert "mon-son-hlhpn" in codes(api("GET", "/api/directory/units", "donvi2"))


# ---- people, by area -------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "visible"), [
    ("quantri", ALL_PEOPLE),
    ("huyen", ALL_PEOPLE),
    ("xa", MON_SON),
    ("donvi2", {"Vi Văn Tâm"}),
    ("xamoi", MON_SON),  # the 2025 commune was formed from Môn Sơn
])
def test_people_are_shown_to_an_admin_all_and_to_others_only_in_their_area(api, username, visible):
    response = api("GET", "/api/directory/people", username)
    assert response.status_code == 200
    assert {p["name"] for p in response.get_json()["items"]} == visible


# ---- the import ------------------------------------------------------------------------------


ORG_CSV = "code,name,level,parent,valid_from,valid_to,successor\n" \
          "ban-na-ca,<script>alert(1)</script> Bản Na Ca,village,mon-son,1/1/2024,,\n"


def test_an_admin_imports_a_file_and_a_name_with_a_script_tag_is_kept_as_plain_text(api, app):
    response = upload(api, "quantri", "org_units", "ban.csv", ORG_CSV.encode())
    assert response.status_code == 200, response.get_json()
    assert response.get_json() | {"codes": []} == {"kind": "org_units", "created": 1, "updated": 0,
                                                     "unchanged": 0, "codes": []}
    tree = api("GET", "/api/directory/org-units", "donvi").get_json()["items"]
    assert next(u for u in tree if u["code"] == "ban-na-ca")["name"] == \
        "<script>alert(1)</script> Bản Na Ca"
    page = app.test_client()
    sign_in(page, "quantri")
    html = page.get("/admin/directory").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Bản Na Ca" in html and "<script>alert" not in html


def test_a_user_imported_with_an_email_can_be_reminded_by_email(api, app):
    csv = "username,name,role,scope,password,email\n" \
          "donvi9,Lang Văn Phúc,submitter,mon-son,mat-khau-dai,phuc@example.vn\n" \
          "donvi10,Kha Văn Hùng,submitter,mon-son,mat-khau-dai,\n"
    assert upload(api, "quantri", "users", "users.csv", csv.encode()).status_code == 200
    with app.extensions["intake"].sessions() as db:
        emails = dict(db.query(User.username, User.email).filter(User.username.like("donvi%")))
    assert emails["donvi9"] == "phuc@example.vn" and emails["donvi10"] is None


@pytest.mark.parametrize(("kind", "filename", "content", "field"), [
    ("towns", "x.csv", ORG_CSV.encode(), "kind"),
    (None, "x.csv", ORG_CSV.encode(), "kind"),
    ("org_units", "", b"", "file"),
    ("org_units", "x.txt", ORG_CSV.encode(), "file"),
    ("org_units", "x.xlsx", b"PK\x03\x04 not really a workbook", "file"),
    ("org_units", "x.csv", "\ufeffcode\n".encode("utf-16"), "file"),
    ("org_units", "x.csv", ORG_CSV.replace("village", "hamlet").encode(), "2.level"),
    ("org_units", "x.csv", ORG_CSV.replace("mon-son", "MON SON").encode(), "2.parent"),
    ("org_units", "x.csv", b"code,name,surprise\nx,y,z\n", "1.surprise"),
    ("users", "x.csv", b"username,name,role,scope,password,email\n"
                       b"donvi9,Phuc,submitter,mon-son,mat-khau-dai,not-an-address\n", "2.email"),
    ("users", "x.csv", b"username,name,role,scope,password,email\n"
                       b"donvi9,Phuc,submitter,mon-son,mat-khau-dai," + b"a" * 300 + b"@x.vn\n",
     "2.email"),
])
def test_a_bad_import_is_a_422_saying_where_and_nothing_is_written(api, kind, filename, content,
                                                                    field):
    response = upload(api, "quantri", kind, filename, content)
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["error"] and field in body["fields"] and all(body["fields"][field])
    assert "ban-na-ca" not in codes(api("GET", "/api/directory/org-units", "quantri"))


def test_an_import_sent_as_json_is_refused_with_a_message(api):
    response = api("POST", "/api/directory/import", "quantri", json={"kind": "org_units"})
    assert response.status_code == 422 and "multipart" in response.get_json()["fields"]["_schema"][0]


def test_a_file_over_the_limit_is_a_413_in_json(api):
    response = upload(api, "quantri", "org_units", "big.csv", b"x" * (1024 * 1024 + 10))
    assert response.status_code == 413 and response.get_json()["error"]


@pytest.mark.parametrize("username", ["donvi", "xa", "huyen"])
def test_only_an_administrator_imports(api, username):
    response = upload(api, username, "org_units", "ban.csv", ORG_CSV.encode())
    assert response.status_code == 403
