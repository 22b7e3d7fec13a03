"""Load the Con Cuông data set through the services' own interfaces: ``python -m demo.load``.

Every write goes through what users use: the directory import and the periods, submissions,
result reports, review queue and committee JSON APIs (with each user's own API token), and the
committee's session page for proposing exemplars. So every change passes the same handlers,
audit, outbox and broker as a user's, and review learns of each registration only from intake's
events: this module waits for the relays and consumers to carry them (``python -m demo.load``
runs its own for the time it loads; ``--no-pipeline`` relies on the Procfile's processes).

The apps are called in-process (``create_app(settings).test_client()``), on the databases and
broker the environment names, so it serves ``make demo`` (embedded defaults) and the real
engines alike. Loading twice adds nothing: what exists is found and kept, and the second run
says the data set was already loaded.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from demo import con_cuong as data
from intake_service.accounts import services as accounts
from intake_service.accounts.tables import User
from intake_service.directory import services as directory_services
from intake_service.directory.tables import Person
from shared import tokens
from shared.days import today_in_vietnam

PIPELINE = ("intake_service.relay", "review_service.relay", "intake_service.consumer",
            "review_service.consumer")
WAIT_SECONDS = 180  # for events to travel relay → broker → consumer
PAGE = 50  # the review queue's page size


class LoadError(RuntimeError):
    """The data set cannot be loaded as it stands; the message says why and what to do."""


@dataclass
class Summary:
    """What one run added; nothing added means the data set was already there."""

    added: Counter = field(default_factory=Counter)

    @property
    def already_loaded(self) -> bool:
        return not +self.added

    def lines(self) -> list[str]:
        if self.already_loaded:
            return ["The Con Cuông data set is already loaded; nothing was added."]
        return ["The Con Cuông data set is loaded:"] + [
            f"  {what}: {count}" for what, count in self.added.items() if count]


class Services:
    """Both services' interfaces, called as each demo user (their API token or their session)."""

    def __init__(self, intake_app, review_app, log: Callable[[str], None]):
        self.intake_app, self.review_app, self.log = intake_app, review_app, log
        self.intake, self.review = intake_app.test_client(), review_app.test_client()
        self.secret = intake_app.config["SECRET_KEY"]
        self._identities: dict[str, object] = {}

    def identity(self, username: str):
        """The user's identity as ``python -m intake_service.manage token`` signs it."""
        if username not in self._identities:
            with self.intake_app.extensions["intake"].sessions() as db:
                user = db.scalar(select(User).where(User.username == username))
                if user is None:
                    raise LoadError(f"no user {username!r}: run `python -m intake_service.manage "
                                    f"seed-demo` first")
                self._identities[username] = accounts.identity_of(user)
        return self._identities[username]

    def call(self, service: str, method: str, path: str, username: str, *, json=None,
             form=None, expect: Iterable[int] = (200, 201), **query):
        client = self.intake if service == "intake" else self.review
        token = tokens.issue(self.secret, self.identity(username))
        with client.open(path, method=method, json=json, data=form, query_string=query or None,
                         headers={"Authorization": f"Bearer {token}"}) as response:
            body = response.get_json(silent=True)
            if response.status_code not in tuple(expect):
                raise LoadError(f"{method} {path} as {username}: {response.status_code} {body}")
            return body

    def browser(self, username: str):
        """A signed-in browser on the review service (for the pages that have no API)."""
        at_intake, at_review = self.intake_app.test_client(), self.review_app.test_client()
        with at_intake.get("/login") as page:
            token = _csrf(page.get_data(as_text=True))
        with at_intake.post("/login", data={"csrf_token": token, "username": username,
                                            "password": data.PASSWORD}) as signed_in:
            if signed_in.status_code != 302:
                raise LoadError(f"{username} cannot sign in with the demo password")
        at_review.set_cookie("dvk_session", at_intake.get_cookie("dvk_session").value)
        return at_review


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def wait_for(condition: Callable[[], object], what: str, timeout: float = WAIT_SECONDS):
    """Poll until ``condition`` holds: events reach the other service through the broker."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise LoadError(f"waited {timeout:.0f}s for {what}; are the relays and consumers "
                            f"running?")
        time.sleep(0.1)


# ---- the directory: villages, units, people, users -----------------------------------------


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _import(services: Services, kind: str, rows: list[dict]) -> dict:
    upload = {"kind": kind, "file": (io.BytesIO(_csv(rows)), f"con-cuong-{kind}.csv")}
    return services.call("intake", "POST", "/api/directory/import", data.ADMIN, form=upload)


def load_directory(services: Services, summary: Summary) -> None:
    """Villages, units and users through the administrator's import; people through the
    directory's handler (they have no import)."""
    villages = [{"code": u.code, "name": u.name, "level": u.level, "parent": u.parent_code,
                 "valid_from": u.valid_from.isoformat(),
                 "valid_to": u.valid_to.isoformat() if u.valid_to else "",
                 "successor": u.successor_code or ""} for u in data.village_units()]
    summary.added["villages"] += _import(services, "org_units", villages)["created"]
    units = [{"code": c, "name": n, "kind": k, "org_code": o} for c, n, k, o in data.UNITS]
    summary.added["units"] += _import(services, "units", units)["created"]
    intake = services.intake_app.extensions["intake"]
    with intake.sessions() as db:
        known = set(db.scalars(select(User.username)))
    missing = [{"username": u.username, "name": u.name, "role": u.role, "scope": u.scope,
                "password": data.PASSWORD} for u in data.USERS if u.username not in known]
    if missing:
        summary.added["users"] += _import(services, "users", missing)["created"]
    with intake.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(Person))
        for unit_code, name, position in data.PEOPLE:
            directory_services.add_person(uow, unit_code, name, position)
        uow.commit()
        summary.added["people"] += uow.session.scalar(
            select(func.count()).select_from(Person)) - before


# ---- the reporting period -------------------------------------------------------------------


def open_period(services: Services, summary: Summary) -> tuple[int, str | None]:
    """The H1-2024 period, opened by the administrator unless it is there, and why new
    registrations could not land in it (None when they can): it must be open and take them,
    and no other open period may take registrations with a later deadline."""
    wanted = data.PERIOD
    periods = services.call("intake", "GET", "/api/periods", data.ADMIN)["items"]
    ours = next((p for p in periods if (p["kind"], p["year"]) == (wanted["kind"], wanted["year"])),
                None)
    if ours is None:
        ours = services.call("intake", "POST", "/api/periods", data.ADMIN, json=wanted)
        summary.added["periods"] += 1
    if ours["closed_at"] or "registrations" not in ours["due_items"]:
        return ours["id"], f"the period {ours['label']} is closed or takes no registrations"
    rivals = [p["label"] for p in periods if p["id"] != ours["id"] and not p["closed_at"]
              and "registrations" in p["due_items"] and p["deadline"] > ours["deadline"]
              and date.fromisoformat(p["opens_on"]) <= today_in_vietnam()]
    if rivals:
        return ours["id"], (f"new registrations would go to {', '.join(rivals)}, not to "
                            f"{ours['label']}: close it first, or load into a fresh database")
    return ours["id"], None


# ---- registrations and their review ---------------------------------------------------------


class Ledger:
    """Where each model and report stands at intake, as its unit's own API lists them."""

    def __init__(self, services: Services):
        self.services = services

    def of(self, username: str) -> list[dict]:
        return self.services.call("intake", "GET", "/api/submissions", username)["items"]

    def registrations(self, models: Iterable[data.Model]) -> dict[str, dict]:
        """Model key → its registration, for those already entered (under either title)."""
        found = {}
        by_submitter: dict[str, list[data.Model]] = {}
        for model in models:
            by_submitter.setdefault(model.submitter, []).append(model)
        for username, owned in by_submitter.items():
            mine = {row["title"]: row for row in self.of(username) if row["kind"] == "registration"}
            for model in owned:
                row = mine.get(model.title) or mine.get(model.as_entered(first=True)["title"])
                if row is not None:
                    found[model.key] = row
        return found

    def wait(self, models: list[data.Model], reached: Callable[[dict], bool], what: str) -> dict:
        def all_there():
            rows = self.registrations(models)
            return rows if len(rows) == len(models) and all(map(reached, rows.values())) else None
        return wait_for(all_there, what)


def queue(services: Services, username: str, stage: str, **filters) -> list[dict]:
    """Every open item of a reviewer's queue at a stage, page by page."""
    items, page = [], 1
    while True:
        found = services.call("review", "GET", "/api/queue", username, stage=stage, page=page,
                              **filters)["items"]
        items += found
        if len(found) < PAGE:
            return items
        page += 1


def approve(services: Services, username: str, items: list[dict]) -> None:
    for start in range(0, len(items), 200):
        chosen = [{"id": i["id"], "version": i["version"]} for i in items[start:start + 200]]
        result = services.call("review", "POST", "/api/queue/approve", username,
                               json={"items": chosen})
        if result["refused"]:
            raise LoadError(f"{username} could not approve {result['refused']}")


def give_back(services: Services, username: str, item: dict, comment: str) -> None:
    services.call("review", "POST", f"/api/items/{item['id']}/decision", username,
                  json={"decision": "return", "comment": comment, "version": item["version"]})


def wait_in_queue(services: Services, username: str, stage: str, submission_ids: set[int],
                  **filters) -> list[dict]:
    def arrived():
        found = [i for i in queue(services, username, stage, **filters)
                 if i["submission_id"] in submission_ids]
        return found if len(found) == len(submission_ids) else None
    return wait_for(arrived, f"{len(submission_ids)} items in {username}'s {stage} queue")


def register(services: Services, models: list[data.Model], summary: Summary,
             cannot: str | None) -> set[int]:
    """Each unit enters its models and sends them (as first written); return the new ids.
    ``cannot``: why registrations would not land in the H1-2024 period, if they would not."""
    entered = Ledger(services).registrations(models)
    fresh = set()
    for model in models:
        if model.key not in entered:
            if cannot:
                raise LoadError(cannot)
            body = {**model.as_entered(first=True), "submit": True}
            created = services.call("intake", "POST", "/api/submissions", model.submitter,
                                    json=body)
            fresh.add(created["id"])
            summary.added["registrations"] += 1
    return fresh


def _ids(services: Services, models: list[data.Model]) -> dict[int, data.Model]:
    rows = Ledger(services).registrations(models)
    return {rows[m.key]["id"]: m for m in models}


def review_stage(services: Services, models: list[data.Model], stage: str, fresh: set[int],
                 summary: Summary, *, approve_the_rest: bool = True) -> None:
    """Reviewers of one stage return this stage's planned items (once, when new) and approve
    the rest; units fix what came back and send it again, and it is approved (or, with
    ``approve_the_rest`` false, left waiting at the stage like the rest)."""
    ledger = Ledger(services)
    by_id = _ids(services, models)
    reviewers = ({data.COMMUNE_REVIEWER[m.commune_code] for m in models} if stage == "commune"
                 else {data.DISTRICT_REVIEWER})
    returned: list[tuple[str, int, data.Model]] = []
    for reviewer in sorted(reviewers):
        waiting = [i for i in queue(services, reviewer, stage, kind="registration")
                   if i["submission_id"] in by_id]
        to_return = [i for i in waiting if i["submission_id"] in fresh
                     and by_id[i["submission_id"]].returned_at == stage]
        for item in to_return:
            give_back(services, reviewer, item, data.RETURN_COMMENTS[stage])
            returned.append((reviewer, item["submission_id"], by_id[item["submission_id"]]))
            summary.added["returned and fixed"] += 1
        if approve_the_rest:
            approve(services, reviewer, [i for i in waiting if i not in to_return])
    for reviewer, submission_id, model in returned:
        wait_for(lambda model=model: ledger.registrations([model])[model.key]["status"]
                 == "returned", f"'{model.title}' returned at intake")
        services.call("intake", "PUT", f"/api/submissions/{submission_id}", model.submitter,
                      json=model.as_entered(first=False))
        services.call("intake", "POST", f"/api/submissions/{submission_id}/submit",
                      model.submitter)
        back = wait_in_queue(services, reviewer, stage, {submission_id}, kind="registration")
        if approve_the_rest:
            approve(services, reviewer, back)


def approve_at_district(services: Services, models: list[data.Model]) -> None:
    by_id = _ids(services, models)
    approve(services, data.DISTRICT_REVIEWER,
            [i for i in queue(services, data.DISTRICT_REVIEWER, "district", kind="registration")
             if i["submission_id"] in by_id])


def committee_session(services: Services, sitting: data.Sitting, summary: Summary) -> None:
    """The chair sets up the sitting with the items waiting at the committee, proposes the
    exemplars, opens the vote; the members who came vote; the chair closes it."""
    sessions = services.call("review", "GET", "/api/committee/sessions", data.CHAIR)["items"]
    found = next((s for s in sessions if s["title"] == sitting.title), None)
    if found is not None and found["status"] == "closed":
        return
    if found is None:
        if not queue(services, data.CHAIR, "committee"):
            return
        found = services.call("review", "POST", "/api/committee/sessions", data.CHAIR, json={
            "title": sitting.title, "meeting_date": sitting.meeting_date.isoformat(),
            "member_count": data.COMMITTEE_SIZE})
        summary.added["committee sessions"] += 1
    session = services.call("review", "GET", f"/api/committee/sessions/{found['id']}", data.CHAIR)
    exemplars = {data.MODEL_BY_KEY[key].title for key in data.EXEMPLARS}
    if session["status"] == "draft":
        chair = services.browser(data.CHAIR)
        page = f"/committee/{session['id']}"
        for entry in session["agenda"]:
            if entry["title"] in exemplars and entry["decision_type"] != "exemplar":
                with chair.get(page) as shown:
                    token = _csrf(shown.get_data(as_text=True))
                with chair.post(f"{page}/entries/{entry['id']}/type",
                                data={"csrf_token": token, "decision_type": "exemplar"}) as done:
                    if done.status_code != 302:
                        raise LoadError(f"the chair could not propose '{entry['title']}' as an "
                                        f"exemplar: {done.status_code}")
        services.call("review", "POST", f"/api/committee/sessions/{session['id']}/open",
                      data.CHAIR)
    present = [data.CHAIR, *(m for m in data.MEMBERS if m not in sitting.absent)]
    for number, entry in enumerate(session["agenda"]):
        voted = {vote["member_id"] for vote in entry["votes"]}
        for member_number, member in enumerate(present):
            if services.identity(member).id in voted:
                continue
            choice = data.vote_of(member_number, number, entry["title"] in exemplars)
            services.call("review", "POST",
                          f"/api/committee/sessions/{session['id']}/entries/{entry['id']}/vote",
                          member, json={"choice": choice})
            summary.added["votes"] += 1
    closed = services.call("review", "POST", f"/api/committee/sessions/{session['id']}/close",
                           data.CHAIR)
    refused = [e["title"] for e in closed["agenda"] if e["outcome"] not in ("approved", "skipped")]
    if refused:
        raise LoadError(f"the committee did not recognise {refused}")


def load_registrations(services: Services, summary: Summary, cannot: str | None) -> None:
    """Meeting by meeting: the communes' units register, commune and district review, and the
    committee recognises each commune's models in a session of its own."""
    for _meeting_date, communes in data.MEETINGS:
        models = [m for m in data.MODELS if m.commune_code in communes]
        fresh = register(services, models, summary, cannot)
        Ledger(services).wait(models, lambda row: row["status"] != "submitted",
                              f"review to open the {len(models)} models of {', '.join(communes)}")
        review_stage(services, models, "commune", fresh, summary)
        review_stage(services, models, "district", fresh, summary, approve_the_rest=False)
        for sitting in (s for s in data.SESSIONS if s.commune in communes):
            approve_at_district(services, [m for m in models if m.commune_code == sitting.commune])
            committee_session(services, sitting, summary)
    Ledger(services).wait(list(data.MODELS), lambda row: row["status"] == "approved",
                          f"the {data.TOTAL_MODELS} models approved at intake")


# ---- result reports -------------------------------------------------------------------------


def _figures(figures: dict) -> dict:
    return {code: data.typed(value) for code, value in figures.items()}


def load_reports(services: Services, period_id: int, summary: Summary) -> None:
    """The new-rural models' units report their results; the commune returns one report whose
    land figure does not match its minutes, the unit corrects it; commune and district approve."""
    ledger = Ledger(services)
    models = ledger.registrations(data.MODELS)
    reports: dict[str, dict] = {}
    fresh: set[int] = set()
    for report in data.REPORTS:
        model_id = models[report.model_key]["id"]
        existing = next((row for row in ledger.of(report.submitter)
                         if row["kind"] == "result_report" and row["model_id"] == model_id
                         and row["status"] != "withdrawn"), None)
        if existing is None:
            body = {"period_id": period_id, "narrative": report.narrative, "submit": True,
                    **_figures(report.first_figures or report.figures)}
            existing = services.call("intake", "POST", f"/api/models/{model_id}/reports",
                                     report.submitter, json=body)
            fresh.add(existing["id"])
            summary.added["result reports"] += 1
        reports[report.model_key] = existing
    ids = {row["id"]: key for key, row in reports.items()}

    def statuses() -> dict[int, dict]:
        owners = {data.MODEL_BY_KEY[key].submitter for key in reports}
        return {row["id"]: row for owner in owners for row in ledger.of(owner) if row["id"] in ids}

    wait_for(lambda: all(r["status"] != "submitted" for r in statuses().values()),
             "review to open the result reports")
    communes = {data.MODEL_BY_KEY[key].commune_code for key in reports}
    corrected = []
    for commune in sorted(communes):
        reviewer = data.COMMUNE_REVIEWER[commune]
        waiting = [i for i in queue(services, reviewer, "commune", kind="result_report")
                   if i["submission_id"] in ids]
        to_return = [i for i in waiting if i["submission_id"] in fresh
                     and ids[i["submission_id"]] == data.RETURNED_REPORT]
        for item in to_return:
            give_back(services, reviewer, item, data.RETURN_COMMENTS["report"])
            corrected.append((reviewer, item["submission_id"]))
            summary.added["returned and fixed"] += 1
        approve(services, reviewer, [i for i in waiting if i not in to_return])
    for reviewer, report_id in corrected:
        report = next(r for r in data.REPORTS if r.model_key == ids[report_id])
        wait_for(lambda report_id=report_id: statuses()[report_id]["status"] == "returned",
                 "the returned report at intake")
        services.call("intake", "PUT", f"/api/reports/{report_id}", report.submitter, json={
            "period_id": period_id, "narrative": report.narrative, **_figures(report.figures)})
        services.call("intake", "POST", f"/api/submissions/{report_id}/submit", report.submitter)
        approve(services, reviewer, wait_in_queue(services, reviewer, "commune", {report_id},
                                                  kind="result_report"))
    approve(services, data.DISTRICT_REVIEWER,
            [i for i in queue(services, data.DISTRICT_REVIEWER, "district", kind="result_report")
             if i["submission_id"] in ids])
    wait_for(lambda: all(r["status"] == "approved" for r in statuses().values()),
             "the result reports approved at intake")


# ---- inspection teams -----------------------------------------------------------------------


def create_inspection_teams(services: Services, summary: Summary) -> None:
    """The administrator sets up the committee's two inspection teams, each covering some
    communes, with members who live outside them (review's inspections API)."""
    teams = {t["name"]: t for t in services.call("review", "GET", "/api/inspections/teams",
                                                   data.ADMIN)["items"]}
    for name, communes, members in data.INSPECTION_TEAMS:
        team = teams.get(name)
        if team is None:
            team = services.call("review", "POST", "/api/inspections/teams", data.ADMIN,
                                 json={"name": name, "communes": list(communes)})
            summary.added["inspection teams"] += 1
        on_team = {member["user_id"] for member in team["members"]}
        for username, home, unit_name in members:
            person = services.identity(username)
            if person.id not in on_team:
                services.call("review", "POST", f"/api/inspections/teams/{team['id']}/members",
                              data.ADMIN, json={"user_id": person.id,
                                                "name": person.name.split(" — ")[0],
                                                "home_commune": home, "unit_name": unit_name})
                summary.added["inspection team members"] += 1


# ---- the whole data set ---------------------------------------------------------------------


def load(intake_app, review_app, log: Callable[[str], None] = print) -> Summary:
    """Load the data set into the services these apps serve (relays and consumers must run)."""
    services = Services(intake_app, review_app, log)
    summary = Summary()
    services.identity(data.ADMIN)  # the demo users are there (seed-demo)
    log("directory: villages, units, people, users")
    load_directory(services, summary)
    period_id, cannot_register = open_period(services, summary)
    log("registrations, and their review by commune, district and the steering committee")
    load_registrations(services, summary, cannot_register)
    log("result reports of the new-rural models")
    load_reports(services, period_id, summary)
    log("inspection teams")
    create_inspection_teams(services, summary)
    return summary


@contextmanager
def pipeline(log_dir) -> Iterable[None]:
    """The relays and consumers, started as the Procfile starts them, for the time of the load."""
    log_dir.mkdir(parents=True, exist_ok=True)
    started = []
    for module in PIPELINE:
        with open(log_dir / f"demo-load-{module.replace('.', '-')}.log", "w") as out:
            started.append(subprocess.Popen([sys.executable, "-m", module], env=os.environ.copy(),
                                            stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True))
    try:
        yield
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def main(argv: list[str] | None = None) -> int:
    from intake_service.app import create_app as create_intake
    from review_service.app import create_app as create_review
    from shared import embedded
    from shared.settings import from_env

    parser = argparse.ArgumentParser(prog="python -m demo.load", description=__doc__.split("\n")[0])
    parser.add_argument("--no-pipeline", action="store_true",
                        help="rely on relays and consumers already running (honcho start)")
    args = parser.parse_args(argv)
    settings = from_env()
    embedded.serve(settings)
    intake_app, review_app = create_intake(settings), create_review(settings)
    started = time.monotonic()
    try:
        if args.no_pipeline:
            summary = load(intake_app, review_app)
        else:
            with pipeline(settings.data_dir / "logs"):
                summary = load(intake_app, review_app)
    except LoadError as error:
        print(f"The Con Cuông data set could not be loaded: {error}", file=sys.stderr)
        return 1
    finally:
        intake_app.extensions["intake"].engine.dispose()
        review_app.extensions["review"].engine.dispose()
    print("\n".join(summary.lines()))
    print(f"({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
