"""A running system for integration tests: relays and consumers as the Procfile starts them,
both web apps in-process, and the users' API calls as small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from intake_service.app import create_app as create_intake
from intake_service.directory.con_cuong import DISTRICT_CODE
from review_service.app import create_app as create_review
from shared import embedded, tokens
from shared.identity import Identity
from shared.settings import Settings, from_env
from tests.support.engines import drop_databases, environment, prepare
from tests.support.stack import Stack, wait_for

USERS = {
    "donvi": Identity(1, "Lô Thị Hoa", "submitter", "mon-son"),
    "donvi2": Identity(2, "Vi Văn Tâm", "submitter", "chau-khe"),
    "xa": Identity(3, "Lương Văn Thắng", "commune_reviewer", "mon-son"),
    "xa2": Identity(4, "Kha Thị Lan", "commune_reviewer", "chau-khe"),
    "huyen": Identity(5, "Ngân Thị Mai", "district_reviewer", DISTRICT_CODE),
    "bcd": Identity(6, "Moong Văn Bình", "committee_member", DISTRICT_CODE),
    "chutich": Identity(7, "Lương Thị Ngọc", "committee_chair", DISTRICT_CODE),
}
PIPELINE = ("intake_relay", "review_relay", "intake_consumer", "review_consumer")


def registration(**overrides) -> dict:
    return {
        "title": "Hội LHPN xã Môn Sơn vận động hiến đất làm đường",
        "field": "new_rural",
        "subject_type": "collective",
        "commune_code": "mon-son",
        "submit": True,
    } | overrides


@dataclass
class System:
    kind: str
    env: dict[str, str]
    settings: Settings
    stack: Stack
    intake: object = field(init=False)
    review: object = field(init=False)

    def __post_init__(self):
        self.intake = create_intake(self.settings).test_client()
        self.review = create_review(self.settings).test_client()

    def auth(self, username: str) -> dict:
        token = tokens.issue(self.settings.secret_key, USERS[username])
        return {"Authorization": f"Bearer {token}"}

    def register(self, username: str = "donvi", **overrides) -> int:
        response = self.intake.post("/api/submissions", json=registration(**overrides),
                                    headers=self.auth(username))
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def submission(self, submission_id: int, username: str = "donvi") -> dict:
        return self.intake.get(f"/api/submissions/{submission_id}",
                               headers=self.auth(username)).get_json()

    def wait_submission(self, submission_id: int, status: str, stage: str | None = None,
                        username: str = "donvi", timeout: float = 20) -> dict:
        def reached():
            current = self.submission(submission_id, username)
            return current if current["status"] == status and \
                (stage is None or current["stage"] == stage) else None
        return wait_for(reached, timeout, message=f"submission {submission_id} {status} {stage}")

    def queue(self, username: str, stage: str, **filters) -> list[dict]:
        response = self.review.get("/api/queue", query_string={"stage": stage, **filters},
                                   headers=self.auth(username))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    def item_for(self, submission_id: int, username: str, stage: str) -> dict:
        def found():
            return next((i for i in self.queue(username, stage)
                         if i["submission_id"] == submission_id), None)
        return wait_for(found, message=f"submission {submission_id} in {stage} queue")

    def decide(self, username: str, item: dict, decision: str, comment: str = ""):
        return self.review.post(f"/api/items/{item['id']}/decision", headers=self.auth(username),
                                json={"decision": decision, "comment": comment,
                                      "version": item["version"]})

    def committee_decides(self, submission_id: int, choice: str = "approve") -> dict:
        """The committee decides an item in a session of its own: the chair and a member vote
        ``choice`` and the chair closes the vote; the closed session."""
        item = self.item_for(submission_id, "chutich", "committee")
        session = self.review.post("/api/committee/sessions", headers=self.auth("chutich"), json={
            "title": f"Phiên họp về hồ sơ {submission_id}", "meeting_date": "2024-06-20",
            "member_count": 2}).get_json()
        base = f"/api/committee/sessions/{session['id']}"
        assert self.review.post(f"{base}/open", headers=self.auth("chutich")).status_code == 200
        entry = next(e for e in session["agenda"] if e["item_id"] == item["id"])
        for who in ("chutich", "bcd"):  # other items on the agenda get no vote: they stay open
            assert self.review.post(f"{base}/entries/{entry['id']}/vote", headers=self.auth(who),
                                    json={"choice": choice}).status_code == 200
        closed = self.review.post(f"{base}/close", headers=self.auth("chutich"))
        assert closed.status_code == 200, closed.get_json()
        return closed.get_json()


def start_system(kind: str, tmp: Path, processes=PIPELINE) -> System:
    env = environment(kind, tmp / "data")
    prepare(env)
    (tmp / "logs").mkdir(exist_ok=True)
    stack = Stack(env, tmp / "logs")
    for name in processes:
        stack.start(name)
    settings = from_env(env)
    embedded.serve(settings)
    return System(kind=kind, env=env, settings=settings, stack=stack)


def stop_system(system: System) -> None:
    system.stack.stop_all()
    system.intake.application.extensions["intake"].engine.dispose()
    system.review.application.extensions["review"].engine.dispose()
    if system.kind == "embedded":
        embedded.stop(system.settings.data_dir, keep=False)
    else:
        delete_broker_entities(system.settings)
    drop_databases(system.env)


def submitted_event(submission_id: int, version: int = 2, contract: int = 1, **payload) -> dict:
    """A valid ``intake.submission.submitted`` event in its wire form (``contract``: its version)."""
    from datetime import UTC, datetime

    from shared import events

    return events.encode(events.Event(
        type=events.SUBMISSION_SUBMITTED, producer="intake", aggregate_id=str(submission_id),
        aggregate_version=version, version=contract,
        payload={
            "submission_id": submission_id, "kind": "registration",
            "title": f"Mô hình số {submission_id}", "field": "economy",
            "subject_type": "individual", "commune_code": "mon-son",
            "commune_name": "Xã Môn Sơn", "district_code": DISTRICT_CODE,
            "submitter": {"id": 1, "name": "Lô Thị Hoa"},
            "submitted_at": datetime.now(UTC),
        } | payload,
    ))


class Publisher:
    """Puts messages on the events exchange directly, as a misbehaving producer might."""

    def __init__(self, settings: Settings):
        from shared import broker

        embedded.serve(settings)
        self.settings = settings
        self.topology = broker.topology(self.settings)
        self.connection = broker.connect(self.settings)
        for service in ("intake", "review"):
            self.topology.declare(self.connection, service)
        self.producer = self.connection.Producer()

    def send(self, body, routing_key: str = "intake.submission.submitted",
             content_type: str = "application/json") -> None:
        import json

        raw = body if isinstance(body, str | bytes) else json.dumps(body)
        self.producer.publish(raw, exchange=self.topology.events, routing_key=routing_key,
                              content_type=content_type, content_encoding="utf-8",
                              delivery_mode=2)

    def close(self) -> None:
        self.connection.release()


def review_rows(system: System, sql: str, **params) -> list:
    from sqlalchemy import text

    engine = system.review.application.extensions["review"].engine
    with engine.connect() as db:
        return list(db.execute(text(sql), params))


def delete_broker_entities(settings: Settings) -> None:
    """Remove the run's own exchanges and queues from a shared RabbitMQ."""
    from shared import broker
    from shared.topology import SUBSCRIPTIONS, is_amqp

    topology = broker.topology(settings)
    with broker.connect(settings) as connection, connection.channel() as channel:
        quorum = is_amqp(connection)
        for service in SUBSCRIPTIONS:
            topology.queue(service, quorum).bind(channel).delete()
            topology.dead_letter_queue(service, quorum).bind(channel).delete()
        topology.events.bind(channel).delete()
        topology.dead_letters.bind(channel).delete()
