"""The dead-letter queues, for administrators: see what was set aside and why, replay it once fixed.

    python -m shared.deadletters list review
    python -m shared.deadletters replay review
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from shared import broker, embedded
from shared.consumer import ATTEMPTS_HEADER, REASON_HEADER
from shared.settings import Settings, from_env
from shared.topology import is_amqp


@dataclass(frozen=True)
class DeadLetter:
    reason: str
    body: str


def _dead_letter_queue(connection, settings: Settings, service: str):
    topology = broker.topology(settings)
    topology.declare(connection, service)
    return topology.dead_letter_queue(service, quorum=is_amqp(connection))


def peek(settings: Settings, service: str, limit: int = 100) -> list[DeadLetter]:
    """Read the dead letters without removing them (each is taken and put back unacked)."""
    letters, held = [], []
    with broker.connect(settings) as connection, connection.channel() as channel:
        queue = _dead_letter_queue(connection, settings, service).bind(channel)
        for _ in range(limit):
            message = queue.get(no_ack=False)
            if message is None:
                break
            held.append(message)
            letters.append(DeadLetter(reason=(message.headers or {}).get(REASON_HEADER, ""),
                                      body=_text(message.body)))
        for message in held:
            message.requeue()
    return letters


def replay(settings: Settings, service: str, limit: int | None = None) -> int:
    """Move the letters the dead-letter queue holds now back onto the service's work queue, each
    once, with a fresh attempt count; return how many moved.

    The pass stops at the queue's length when it began (or ``limit``): a letter that fails
    again while the pass runs is dead-lettered behind those, and waits for the next replay
    instead of going round and round.
    """
    topology = broker.topology(settings)
    moved = 0
    with broker.connect(settings) as connection, connection.channel() as channel:
        queue = _dead_letter_queue(connection, settings, service).bind(channel)
        waiting = queue.queue_declare(passive=True).message_count
        producer = connection.Producer(channel)
        for _ in range(waiting if limit is None else min(waiting, limit)):
            message = queue.get(no_ack=False)
            if message is None:
                break
            headers = {k: v for k, v in (message.headers or {}).items()
                       if k not in (ATTEMPTS_HEADER, REASON_HEADER)}
            producer.publish(message.body, exchange="", routing_key=topology.queue_name(service),
                             content_type=message.content_type,
                             content_encoding=message.content_encoding,
                             headers=headers, delivery_mode=2)
            message.ack()
            moved += 1
    return moved


def _text(body) -> str:
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.deadletters")
    parser.add_argument("action", choices=("list", "replay"))
    parser.add_argument("service", choices=("intake", "review"))
    args = parser.parse_args(argv)
    settings = from_env()
    embedded.serve(settings)
    if args.action == "list":
        for letter in peek(settings, args.service):
            print(json.dumps({"reason": letter.reason, "body": letter.body}, ensure_ascii=False))
    else:
        print(f"replayed {replay(settings, args.service)}")


if __name__ == "__main__":
    main()
