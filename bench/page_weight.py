"""Page weight: bytes transferred for each page on a first visit, compressed, assets included.

Weak commune connections are the reason: every page must stay under 100 KB
transferred with htmx and the stylesheet. Runs both apps in-process on
embedded defaults, signs in as the demo users, and writes its result to
``bench/results/page-weight-<date>.json`` and a line in ``bench/results/README.md``.

    .venv/bin/python bench/page_weight.py
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intake_service import manage  # noqa: E402
from intake_service.app import create_app as create_intake  # noqa: E402
from review_service.app import create_app as create_review  # noqa: E402
from shared.db import migrate  # noqa: E402
from shared.settings import from_env  # noqa: E402
from tests.integration.test_pages import open_item  # noqa: E402

BUDGET = 100 * 1024
ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def page_weight(client, path: str) -> dict:
    """Compressed bytes of a page and of every asset it loads (a first visit, nothing cached)."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = len(client.get(path, headers=GZIP).get_data())
    assets = {asset: len(client.get(asset, headers=GZIP).get_data())
              for asset in ASSET.findall(response.get_data(as_text=True))}
    return {"page": path, "html": html, "assets": assets, "total": html + sum(assets.values())}


def signed_in(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "username": username,
                                "password": manage.DEMO_PASSWORD})
    return client


def approved_model(intake) -> int:
    """One of donvi's models, approved, with a period open for its results."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from intake_service.accounts.tables import User
    from intake_service.periods import services as periods
    from intake_service.submissions.tables import Submission
    from shared.identity import Identity

    today = date.today()
    with intake.extensions["intake"].uow() as uow:
        donvi = uow.session.scalar(select(User.id).where(User.username == "donvi"))
        model = Submission(kind="registration", title="Hiến đất làm đường bản Xiềng",
                           title_key="hien dat lam duong ban xieng", field="new_rural",
                           subject_type="collective", commune_code="mon-son",
                           submitter_id=donvi, status="approved")
        uow.session.add(model)
        uow.commit()
        periods.open_period(periods.OpenPeriod(
            Identity(0, "bench", "admin", "con-cuong"), "H1", today.year, ("reports",),
            today - timedelta(days=5), today + timedelta(days=5)), uow)
        return model.id


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        settings = from_env({"DVK_DATA_DIR": data})
        migrate("intake_service", settings.intake_database_url)
        migrate("review_service", settings.review_database_url)
        os.environ["DVK_DATA_DIR"] = data
        manage.seed_demo_users()
        intake, review = create_intake(settings), create_review(settings)
        open_item(review)
        unit, admin = signed_in(intake, "donvi"), signed_in(intake, "admin")
        model = approved_model(intake)
        results = [page_weight(intake.test_client(), "/login")] + [
            page_weight(unit, path) for path in (
                "/submissions", "/submissions/new", f"/submissions/{model}",
                f"/models/{model}/amend", f"/models/{model}/reports/new", "/submissions/import",
                "/due", "/notifications", "/account")
        ] + [page_weight(admin, path) for path in ("/periods", "/admin/directory", "/dashboard", "/report")]
        reviewer = review.test_client()
        reviewer.set_cookie("dvk_session", signed_in(intake, "xa").get_cookie("dvk_session").value)
        results += [page_weight(reviewer, "/queue"), page_weight(reviewer, "/items/1")]
        intake.extensions["intake"].engine.dispose()
        review.extensions["review"].engine.dispose()
    heaviest = max(results, key=lambda r: r["total"])
    record = {"date": datetime.now(UTC).isoformat(timespec="minutes"), "budget_bytes": BUDGET,
              "pages": results, "heaviest": heaviest["page"], "heaviest_bytes": heaviest["total"],
              "within_budget": all(r["total"] <= BUDGET for r in results)}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"page-weight-{datetime.now(UTC):%Y-%m-%d}.json").write_text(json.dumps(record, indent=2))
    summary = ", ".join(f"{r['page']} {r['total'] / 1024:.1f} KB" for r in results)
    with open(out / "README.md", "a") as readme:
        readme.write(f"\nPage weight {record['date']} (first visit, gzip, assets included; "
                     f"budget 100 KB): {summary}. Within budget: {record['within_budget']}.\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
