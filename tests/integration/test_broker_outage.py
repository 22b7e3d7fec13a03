"""The broker goes away while units submit: nobody notices, and nothing is lost or doubled."""

from __future__ import annotations

import subprocess
import time
from contextlib import contextmanager

from shared import embedded
from tests.integration.system import review_rows
from tests.support.engines import broker_in_use


@contextmanager
def broker_stopped(system):
    """Stop the broker, and always bring it back, leaving the machine as it was."""
    if system.kind == "embedded":
        embedded.stop(system.settings.data_dir)
        try:
            yield
        finally:
            embedded.ensure_running(system.settings.data_dir)
        return
    with broker_in_use(exclusive=True):  # no other test process is using RabbitMQ meanwhile
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True)
        try:
            yield
        finally:
            subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True)
            subprocess.run(["rabbitmqctl", "await_startup"], check=True, capture_output=True)


def test_units_submit_while_the_broker_is_down_and_every_event_arrives_once(system):
    warm_up = system.register("donvi", title="Mô hình trước khi mất kết nối")
    system.wait_submission(warm_up, "in_review", stage="commune", timeout=60)  # the line is live
    with broker_stopped(system):
        ids = [system.register("donvi", title=f"Mô hình vận động khi mất mạng số {n}")
               for n in range(20)]
        assert all(system.submission(i)["status"] == "submitted" for i in ids)
        time.sleep(1)
        assert not review_rows(system, "SELECT id FROM review_items WHERE submission_id IN "
                                       f"({','.join(map(str, ids))})")

    for submission_id in ids:
        system.wait_submission(submission_id, "in_review", stage="commune", timeout=60)
    opened = review_rows(
        system,
        "SELECT i.submission_id, COUNT(*) FROM audit_log a JOIN review_items i ON a.item_id = i.id "
        f"WHERE a.action = 'opened' AND i.submission_id IN ({','.join(map(str, ids))}) "
        "GROUP BY i.submission_id")
    assert dict(opened) == {i: 1 for i in ids}
    for submission_id in ids:
        steps = [h["to_status"] for h in system.submission(submission_id)["history"]]
        assert steps == ["draft", "submitted", "in_review"]
