"""Health, readiness, metrics, configuration, the scheduler and the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from config import ConfigError, from_env
from sms_gateway.models import Agency, Category
from workers import scheduler
from workers.schedule import SCHEDULE


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_metrics_count_inbound_by_outcome_and_show_queue_depth(client, phone):
    phone.text("trotoar dipakai parkir motor, pejalan kaki turun ke jalan")
    phone.text("")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'lapor_inbound_sms_total{outcome="complaint",provider="twilio"}' in body
    assert 'lapor_inbound_sms_total{outcome="empty",provider="twilio"}' in body
    assert "lapor_webhook_seconds_bucket" in body
    assert 'lapor_queue_depth{queue="intake"} 2.0' in body
    assert "lapor_spool_pending 0.0" in body


def test_production_refuses_to_start_without_secrets_and_names_them():
    with pytest.raises(ConfigError) as error:
        from_env({"APP_ENV": "production", "SMS_PROVIDER": "twilio"})
    for name in (
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "PUBLIC_BASE_URL",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_ACCOUNT_SID",
    ):
        assert name in str(error.value)
    settings = from_env(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "s" * 32,
            "DATABASE_URL": "postgres://db/x",
            "REDIS_URL": "redis://r:6379/0",
            "PUBLIC_BASE_URL": "https://sms.example.go.id/",
            "TWILIO_AUTH_TOKEN": "t",
        }
    )
    assert settings.sqlalchemy_url == "postgresql+psycopg://db/x"
    assert settings.public_base_url == "https://sms.example.go.id"


def test_unknown_environment_values_are_refused_clearly():
    with pytest.raises(ConfigError, match="APP_ENV"):
        from_env({"APP_ENV": "staging"})
    with pytest.raises(ConfigError, match="SMS_PROVIDER"):
        from_env({"SMS_PROVIDER": "carrier-pigeon"})


def test_public_base_url_is_the_url_signatures_are_checked_against(settings, phone):
    from tests.conftest import running_app
    from tests.support.twilio_client import Phone, sign, sms_form

    behind_proxy = settings.with_overrides(public_base_url="https://sms.example.go.id")
    with running_app(behind_proxy) as app:
        proxied = Phone(app.test_client(), "test-twilio-auth-token")
        form = sms_form("saluran air tersumbat di rt 5")
        public = sign(
            "test-twilio-auth-token", "https://sms.example.go.id/webhooks/twilio/sms", form
        )
        assert proxied.post(form, signature=public).status_code == 200
        assert (
            proxied.post(
                sms_form("x"),
                signature=sign(
                    "test-twilio-auth-token", "http://localhost/webhooks/twilio/sms", sms_form("x")
                ),
            ).status_code
            == 403
        )


def test_two_schedulers_run_each_slot_once(app):
    connection = app.extensions["redis"]
    now = 1_000_000.0
    first = scheduler.run_due(connection, now, {})
    second = scheduler.run_due(connection, now, {})
    assert sorted(first) == sorted(task.name for task in SCHEDULE)
    assert second == []


def test_db_upgrade_and_seed_are_idempotent(app, session):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    first = runner.invoke(args=["seed"])
    second = runner.invoke(args=["seed"])
    assert first.exit_code == second.exit_code == 0
    assert "categories +0" in second.output
    tops = session.scalar(select(func.count()).select_from(Category).where(Category.is_top))
    assert tops == 38
    assert session.get(Agency, "ADMIN-NASIONAL") is not None


def test_sms_curl_prints_a_signed_request(app):
    result = app.test_cli_runner().invoke(args=["sms", "curl", "jalan rusak di desa"])
    assert result.exit_code == 0
    assert "X-Twilio-Signature:" in result.output and "Body=jalan rusak di desa" in result.output


def test_migrations_describe_exactly_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sms_gateway.models import Base

    with app.extensions["db"].engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
