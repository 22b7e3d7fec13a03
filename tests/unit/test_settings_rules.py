"""An operator's settings are checked at start: every bad variable is named at once, and a
production process refuses what only development may use."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_service.settings import from_settings as intake_settings
from review_service.settings import from_settings as review_settings
from shared.settings import SettingsError, checked, from_env
from shared.web.ops import may_read_metrics
from shared.web.requests import request_id

ROOT = Path(__file__).resolve().parents[2]
KEY = "q7Vd2rX9LmP4sT8wZb1nK6yH3cF5gJ0a"  # 32 random-looking bytes
REAL = {
    "INTAKE_DATABASE_URL": "postgresql+psycopg://dvk@db.internal:5432/dvk_intake",
    "REVIEW_DATABASE_URL": "postgresql+psycopg://dvk@db.internal:5432/dvk_review",
    "BROKER_URL": "amqp://dvk:s3cret-pass@broker.internal:5672//",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "SECRET_KEY": KEY,
}


def problems(environ: dict[str, str], check=checked) -> list[str]:
    with pytest.raises(SettingsError) as raised:
        check(environ)
    return list(raised.value.problems)


def test_nothing_set_runs_in_development_on_the_embedded_engines():
    settings = checked({})
    assert settings.environment == "development"
    assert settings.embedded_broker and settings.embedded_redis
    assert settings.intake_database_url.startswith("sqlite")


def test_the_real_engines_with_a_random_key_start_in_production():
    settings = checked(REAL)
    assert settings.production
    assert settings.trusted_proxies == 0 and settings.metrics_token is None


@pytest.mark.parametrize(("name", "value"), [
    ("DVK_MAX_ATTEMPTS", "abc"), ("DVK_MAX_ATTEMPTS", "0"), ("DVK_RELAY_IDLE_SECONDS", "-1"),
    ("DVK_RELAY_IDLE_SECONDS", "nan"), ("DVK_RELAY_BATCH", "1.5"), ("DVK_HEARTBEAT_SECONDS", "-5"),
    ("DVK_BROKER_VISIBILITY_TIMEOUT", "0"), ("DVK_EVIDENCE_MAX_MB", "ten"),
    ("DVK_TRUSTED_PROXIES", "-1"), ("SESSION_COOKIE_SECURE", "maybe"), ("DVK_ENV", "prod"),
    ("BROKER_URL", "foo"), ("BROKER_URL", "http://broker:5672"), ("REDIS_URL", "redis//host"),
    ("INTAKE_DATABASE_URL", "mysql://host/dvk"), ("REVIEW_DATABASE_URL", "not a url"),
    ("INTAKE_URL", "dvk.example.vn"), ("REVIEW_URL", "ftp://review.example.vn"),
    ("DVK_NAMESPACE", "dvk events"),
])
def test_a_bad_variable_is_refused_on_one_line_naming_it(name, value):
    found = problems({name: value}, from_env)
    assert len(found) == 1
    assert found[0].startswith(name)


def test_every_bad_variable_is_listed_at_once():
    found = problems({"DVK_MAX_ATTEMPTS": "abc", "DVK_RELAY_IDLE_SECONDS": "-1",
                      "BROKER_URL": "foo", "SESSION_COOKIE_SECURE": "maybe"}, from_env)
    assert [line.split("=")[0].split(":")[0] for line in found] == [
        "BROKER_URL", "DVK_MAX_ATTEMPTS", "DVK_RELAY_IDLE_SECONDS", "SESSION_COOKIE_SECURE"]


def test_a_bad_url_is_named_without_showing_its_password():
    found = problems({"BROKER_URL": "amqp//dvk:s3cret-pass@broker.internal:5672//"}, from_env)
    assert found[0].startswith("BROKER_URL") and "s3cret-pass" not in found[0]


def test_accepted_spellings_of_switches_and_failover_urls():
    settings = from_env({"SESSION_COOKIE_SECURE": "true", "DVK_TRUSTED_PROXIES": "1",
                         "BROKER_URL": "amqp://a:5672//;amqp://b:5672//"})
    assert settings.session_cookie_secure and settings.trusted_proxies == 1


def test_any_real_engine_makes_it_production_and_every_development_leftover_is_named():
    found = problems({"BROKER_URL": REAL["BROKER_URL"]})
    assert [line.split(":")[0] for line in found] == [
        "SECRET_KEY", "INTAKE_DATABASE_URL", "REVIEW_DATABASE_URL", "REDIS_URL"]


def test_production_declared_with_nothing_set_refuses_the_embedded_engines():
    found = problems({"DVK_ENV": "production"})
    assert [line.split(":")[0] for line in found] == [
        "SECRET_KEY", "INTAKE_DATABASE_URL", "REVIEW_DATABASE_URL", "BROKER_URL", "REDIS_URL"]
    assert "embedded" in found[3] and "embedded" in found[4]


def example_secret() -> str:
    lines = (ROOT / "deploy" / "production.env.example").read_text().splitlines()
    return next(line.split("=", 1)[1] for line in lines if line.startswith("SECRET_KEY="))


@pytest.mark.parametrize("key", [
    "dev-only-secret-change-me", "CHANGE-ME-long-random-shared-by-both-services",
    "please_changeme_before_going_live_0123456789", "<a long random secret of your own choosing>",
    "short-but-random-Xy7", "a" * 40, "abababababababababababababababab12",
])
def test_a_development_placeholder_or_weak_key_is_refused_in_production(key):
    assert [line.split(":")[0] for line in problems(REAL | {"SECRET_KEY": key})] == ["SECRET_KEY"]


def test_the_key_of_the_example_production_environment_is_refused():
    assert [line.split(":")[0] for line in problems(REAL | {"SECRET_KEY": example_secret()})] \
        == ["SECRET_KEY"]


def test_bad_values_and_production_leftovers_are_listed_together():
    found = problems({"BROKER_URL": REAL["BROKER_URL"], "DVK_MAX_ATTEMPTS": "0"})
    assert found[0].startswith("DVK_MAX_ATTEMPTS") and found[1].startswith("SECRET_KEY")


def test_development_may_be_declared_for_local_work_on_the_real_engines():
    settings = checked({"DVK_ENV": "development", "BROKER_URL": REAL["BROKER_URL"]})
    assert settings.environment == "development" and not settings.embedded_broker


def test_a_bad_feature_variable_of_intake_is_named_with_the_others():
    settings = from_env({"SMTP_HOST": "smtp.example.vn", "SMTP_PORT": "twenty-five"})
    with pytest.raises(SettingsError) as raised:
        intake_settings(settings)
    assert len(raised.value.problems) == 1 and "SMTP_PORT" in raised.value.problems[0]


def test_bad_feature_variables_of_review_are_named_all_at_once():
    settings = from_env({"DVK_CHAIN_CONFIG": "four-level", "DVK_COMMITTEE_RULES": "{",
                         "DVK_ESCALATE_AFTER_DAYS": "soon"})
    with pytest.raises(SettingsError) as raised:
        review_settings(settings)
    assert [line.split(":")[0] for line in raised.value.problems] == [
        "DVK_CHAIN_CONFIG", "DVK_ESCALATE_AFTER_DAYS", "DVK_COMMITTEE_RULES"]


@pytest.mark.parametrize(("remote", "forwarded", "authorization", "token", "allowed"), [
    ("127.0.0.1", False, None, None, True),
    ("::1", False, None, None, True),
    ("127.0.0.1", True, None, None, False),  # nginx passed it on: someone outside asked
    ("10.0.0.7", False, None, None, False),
    (None, False, None, None, False),
    ("10.0.0.7", True, "Bearer scrape-token", "scrape-token", True),
    ("127.0.0.1", False, None, "scrape-token", False),
    ("127.0.0.1", False, "Bearer wrong", "scrape-token", False),
])
def test_metrics_are_read_from_the_machine_itself_or_with_the_token(remote, forwarded,
                                                                     authorization, token, allowed):
    assert may_read_metrics(remote, forwarded, authorization, token) is allowed


def test_a_well_formed_request_id_from_the_proxy_is_kept_and_any_other_replaced():
    assert request_id("4f1c2b0e9d8a7f6e5d4c3b2a1f0e9d8c") == "4f1c2b0e9d8a7f6e5d4c3b2a1f0e9d8c"
    for given in (None, "", "short", "has spaces in it", "x" * 200, "line\nbreak-injected"):
        made = request_id(given)
        assert made != given and len(made) == 32
