"""Gateway settings: production refuses a chosen gateway without its secrets, by name."""

from __future__ import annotations

from decimal import Decimal

import pytest

from config import ConfigError, from_env

PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "s",
    "DATABASE_URL": "postgresql://db/lapor",
    "REDIS_URL": "redis://redis:6379/0",
    "PUBLIC_BASE_URL": "https://lapor.example.go.id",
    "TWILIO_AUTH_TOKEN": "t",
}


@pytest.mark.parametrize(
    "provider, names",
    [
        ("jasmin", ["JASMIN_URL", "JASMIN_USERNAME", "JASMIN_PASSWORD", "JASMIN_SECRET"]),
        ("kannel", ["KANNEL_SENDSMS_URL", "KANNEL_USERNAME", "KANNEL_PASSWORD", "KANNEL_SECRET"]),
    ],
)
def test_production_names_every_missing_gateway_setting(provider, names):  # noqa: ANN001
    with pytest.raises(ConfigError) as refused:
        from_env({**PRODUCTION, "SMS_PROVIDER": provider})
    for name in names:
        assert name in str(refused.value)


def test_production_starts_with_the_gateway_configured():
    settings = from_env(
        {
            **PRODUCTION,
            "SMS_PROVIDER": "jasmin",
            "JASMIN_URL": "http://jasmin:1401/",
            "JASMIN_USERNAME": "lapor",
            "JASMIN_PASSWORD": "pw",
            "JASMIN_SECRET": "long-random-secret",
        }
    )
    assert (settings.jasmin_url, settings.jasmin_secret) == (
        "http://jasmin:1401",
        "long-random-secret",
    )
    assert settings.kannel_secret == ""  # no development secret in production


def test_development_has_working_defaults():
    settings = from_env({})
    assert settings.jasmin_url == "http://127.0.0.1:1401"
    assert settings.jasmin_secret and settings.kannel_secret
    assert settings.rate_for("twilio") == 100 and settings.rate_for("sandbox") == 0


def test_rates_prices_and_limits_come_from_the_environment():
    settings = from_env(
        {
            "SMS_RATE_PER_SECOND": "jasmin=15, kannel=12.5",
            "SMS_PRICE_PER_SEGMENT": "350",
            "GATEWAY_ALLOWED_IPS": "10.0.0.5, 10.1.0.0/16",
            "SMS_LOOP_LIMIT": "4",
        }
    )
    assert (
        settings.rate_for("jasmin"),
        settings.rate_for("kannel"),
        settings.rate_for("twilio"),
    ) == (15, 12.5, 100)
    assert Decimal(settings.price_for("kannel")) == Decimal("350")
    assert settings.gateway_allowed_ips == ("10.0.0.5", "10.1.0.0/16")
    assert settings.sms_loop_limit == 4


def test_a_price_that_is_not_a_number_is_refused():
    with pytest.raises(ConfigError):
        from_env({"SMS_PRICE_PER_SEGMENT": "twilio=murah"})
