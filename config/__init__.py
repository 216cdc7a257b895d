"""Settings, read from the environment in this one place.

Every setting has a default for the embedded stack (an SQLite file and an embedded Redis, both
under ``instance/``), so a fresh checkout runs with nothing configured. In ``production`` the
secrets must be given: a missing one stops start-up with a message that names it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("development", "production", "test")
PROVIDERS = ("twilio", "sandbox", "jasmin", "kannel")
DEV_SECRET = "dev-only-secret-key-not-for-production"
# Development signs simulated SMS with this token; production must set TWILIO_AUTH_TOKEN.
DEV_TWILIO_TOKEN = "dev-twilio-auth-token"
# Development secrets for the gateways' webhooks; production must set its own.
DEV_GATEWAY_SECRETS = {"jasmin": "dev-jasmin-secret", "kannel": "dev-kannel-secret"}
# Messages per second each provider takes (0: no limit); SMS_RATE_PER_SECOND overrides.
DEFAULT_RATES = (("twilio", 100.0), ("jasmin", 20.0), ("kannel", 20.0), ("sandbox", 0.0))
# What each provider must be given in production, beyond the common secrets.
PROVIDER_SECRETS = {
    "twilio": ("TWILIO_ACCOUNT_SID",),
    "jasmin": ("JASMIN_URL", "JASMIN_USERNAME", "JASMIN_PASSWORD", "JASMIN_SECRET"),
    "kannel": ("KANNEL_SENDSMS_URL", "KANNEL_USERNAME", "KANNEL_PASSWORD", "KANNEL_SECRET"),
}


class ConfigError(RuntimeError):
    """The environment does not describe a runnable service."""


@dataclass(frozen=True)
class Settings:
    """Typed settings of one process."""

    app_env: str = "development"
    instance_path: Path = PROJECT_ROOT / "instance"
    database_url: str = ""  # empty: the embedded SQLite file
    redis_url: str = ""  # empty: the embedded Redis
    secret_key: str = DEV_SECRET
    sms_provider: str = "sandbox"
    twilio_account_sid: str = ""
    twilio_auth_token: str = DEV_TWILIO_TOKEN
    twilio_from: str = "1708"
    twilio_api_base_url: str = "https://api.twilio.com"
    public_base_url: str = ""  # empty: trust the request's own URL (behind ProxyFix)
    validate_twilio_signature: bool = True
    jasmin_url: str = ""  # Jasmin's HTTP API, e.g. http://127.0.0.1:1401 (``/send`` is added)
    jasmin_username: str = ""
    jasmin_password: str = ""
    jasmin_secret: str = DEV_GATEWAY_SECRETS["jasmin"]
    kannel_sendsms_url: str = ""  # e.g. http://127.0.0.1:13013/cgi-bin/sendsms
    kannel_username: str = ""
    kannel_password: str = ""
    kannel_secret: str = DEV_GATEWAY_SECRETS["kannel"]
    gateway_from: str = "1708"  # sender address the gateways put on outbound SMS
    gateway_allowed_ips: tuple[str, ...] = ()  # IPs or networks; empty: any address
    sms_rate_per_second: tuple[tuple[str, float], ...] = DEFAULT_RATES
    sms_price_per_segment: tuple[tuple[str, str], ...] = ()  # IDR per segment, per provider
    sms_max_attempts: int = 6  # tries per outbound SMS before it is failed
    sms_loop_limit: int = 8  # outbound SMS to one number within the window before holding
    sms_loop_window_seconds: int = 600
    sms_sending_stuck_seconds: int = 300  # a row `sending` this long is listed as stuck
    db_timeout_seconds: float = 15.0  # give up on a locked or unreachable database after this
    max_body_bytes: int = 32 * 1024
    throttle_per_minute: int = 6  # more SMS than this from one number: stored, not answered
    throttle_per_hour: int = 30
    continuation_seconds: int = 300  # a message this soon after a complaint continues it
    sweep_after_seconds: int = 60
    smtp_host: str = "127.0.0.1"  # e-mail dispatch to agencies
    smtp_port: int = 25
    smtp_from: str = "lapor1708@localhost"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    dispatch_max_attempts: int = 8  # tries per forwarding before it is dead-lettered
    dispatch_timeout_seconds: float = 10.0  # one webhook call or SMTP session
    log_level: str = "INFO"
    log_format: str = "text"  # text (for people) | json (one object per line, for a pipeline)
    # Numbers (the SMS "To") that serve one region: their messages carry that region as a hint.
    channel_regions: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def embedded_redis(self) -> bool:
        return not self.redis_url

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL, with the embedded default and the psycopg 3 driver filled in."""
        url = self.database_url or f"sqlite:///{self.instance_path / 'lapor.db'}"
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def spool_path(self) -> Path:
        return self.instance_path / "spool"

    def rate_for(self, provider: str) -> float:
        """Messages per second ``provider`` may be given (0: no limit)."""
        return dict(self.sms_rate_per_second).get(provider, 0.0)

    def price_for(self, provider: str) -> str:
        """Price of one segment through ``provider`` in IDR, as a decimal string."""
        prices = dict(self.sms_price_per_segment)
        return prices.get(provider, prices.get("*", "0"))

    def gateway_secret(self, provider: str) -> str:
        """The shared secret a gateway's webhooks must present."""
        return {"jasmin": self.jasmin_secret, "kannel": self.kannel_secret}[provider]

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with some settings replaced (tests and the CLI use this)."""
        return replace(self, **overrides)


def _bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def _pairs(value: str, convert) -> tuple:  # noqa: ANN001
    """``twilio=100,jasmin=20`` (or one bare value for every provider, as ``*``) as pairs."""
    pairs = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, _, amount = item.rpartition("=")
        try:
            pairs.append((name.strip() or "*", convert(amount.strip())))
        except ValueError as exc:
            raise ConfigError(f"not a number in {value!r}: {amount!r}") from exc
    return tuple(pairs)


def _price(value: str) -> str:
    float(value)  # raises ValueError for anything that is not a number
    return value


def _gateway_values(env: Mapping[str, str], app_env: str) -> dict[str, object]:
    values: dict[str, object] = {}
    if app_env != "production":  # the gateways' own defaults, on this machine
        values["jasmin_url"] = "http://127.0.0.1:1401"
        values["kannel_sendsms_url"] = "http://127.0.0.1:13013/cgi-bin/sendsms"
    for name in ("JASMIN_URL", "JASMIN_USERNAME", "JASMIN_PASSWORD", "KANNEL_SENDSMS_URL"):
        if env.get(name, "").strip():
            values[name.lower()] = env[name].strip().rstrip("/")
    for name in ("KANNEL_USERNAME", "KANNEL_PASSWORD", "GATEWAY_FROM"):
        if env.get(name, "").strip():
            values[name.lower()] = env[name].strip()
    for gateway, dev_secret in DEV_GATEWAY_SECRETS.items():
        secret = env.get(f"{gateway.upper()}_SECRET", "").strip()
        values[f"{gateway}_secret"] = secret or ("" if app_env == "production" else dev_secret)
    ips = env.get("GATEWAY_ALLOWED_IPS", "")
    values["gateway_allowed_ips"] = tuple(p.strip() for p in ips.split(",") if p.strip())
    if env.get("SMS_RATE_PER_SECOND", "").strip():
        overrides = dict(_pairs(env["SMS_RATE_PER_SECOND"], float))
        default = overrides.pop("*", None)
        values["sms_rate_per_second"] = tuple(
            (name, overrides.get(name, default if default is not None else rate))
            for name, rate in DEFAULT_RATES
        )
    if env.get("SMS_PRICE_PER_SEGMENT", "").strip():
        values["sms_price_per_segment"] = _pairs(env["SMS_PRICE_PER_SEGMENT"], _price)
    for name in (
        "SMS_MAX_ATTEMPTS",
        "SMS_LOOP_LIMIT",
        "SMS_LOOP_WINDOW_SECONDS",
        "SMS_SENDING_STUCK_SECONDS",
    ):
        if env.get(name, "").strip():
            try:
                values[name.lower()] = int(env[name])
            except ValueError as exc:
                raise ConfigError(f"{name} must be a whole number, not {env[name]!r}") from exc
    return values


def _dispatch_values(env: Mapping[str, str]) -> dict[str, object]:
    """SMTP and agency-dispatch settings."""
    values: dict[str, object] = {}
    for name in ("SMTP_HOST", "SMTP_FROM", "SMTP_USERNAME", "SMTP_PASSWORD"):
        if env.get(name, "").strip():
            values[name.lower()] = env[name].strip()
    if env.get("SMTP_STARTTLS", "").strip():
        values["smtp_starttls"] = _bool(env["SMTP_STARTTLS"])
    for name, convert in (
        ("SMTP_PORT", int),
        ("DISPATCH_MAX_ATTEMPTS", int),
        ("DISPATCH_TIMEOUT_SECONDS", float),
    ):
        if env.get(name, "").strip():
            try:
                values[name.lower()] = convert(env[name])
            except ValueError as exc:
                raise ConfigError(f"{name} must be a number, not {env[name]!r}") from exc
    return values


def _channel_regions(value: str) -> dict[str, str]:
    """``"+628110001=35.78,1708=33"`` → {number: Kemendagri region code}."""
    mapping = {}
    for item in value.split(","):
        number, sep, code = item.strip().partition("=")
        if not sep or not number.strip() or not code.strip().replace(".", "").isdigit():
            raise ConfigError(f"CHANNEL_REGIONS items look like +628110001=35.78, not {item!r}")
        mapping[number.strip()] = code.strip()
    return mapping


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the environment; refuse a production start without its secrets."""
    env = os.environ if environ is None else environ
    app_env = env.get("APP_ENV", "development").strip() or "development"
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app_env!r}")
    provider = env.get("SMS_PROVIDER", "sandbox").strip() or "sandbox"
    if provider not in PROVIDERS:
        raise ConfigError(f"SMS_PROVIDER must be one of {', '.join(PROVIDERS)}, not {provider!r}")

    values: dict[str, object] = {
        "app_env": app_env,
        "database_url": env.get("DATABASE_URL", "").strip(),
        "redis_url": env.get("REDIS_URL", "").strip(),
        "secret_key": env.get("SECRET_KEY", "").strip() or DEV_SECRET,
        "sms_provider": provider,
        "twilio_account_sid": env.get("TWILIO_ACCOUNT_SID", "").strip(),
        "twilio_auth_token": env.get("TWILIO_AUTH_TOKEN", "").strip()
        or ("" if app_env == "production" else DEV_TWILIO_TOKEN),
        "twilio_from": env.get("TWILIO_FROM", "").strip() or "1708",
        "twilio_api_base_url": (
            env.get("TWILIO_API_BASE_URL", "").strip() or "https://api.twilio.com"
        ).rstrip("/"),
        "public_base_url": env.get("PUBLIC_BASE_URL", "").strip().rstrip("/"),
        "log_level": env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
        "log_format": env.get("LOG_FORMAT", "text").strip().lower() or "text",
    }
    if values["log_format"] not in ("text", "json"):
        raise ConfigError(f"LOG_FORMAT must be text or json, not {values['log_format']!r}")
    values.update(_gateway_values(env, app_env))
    values.update(_dispatch_values(env))
    if env.get("INSTANCE_PATH"):
        values["instance_path"] = Path(env["INSTANCE_PATH"]).resolve()
    if env.get("CHANNEL_REGIONS", "").strip():
        values["channel_regions"] = _channel_regions(env["CHANNEL_REGIONS"])
    for name in ("THROTTLE_PER_MINUTE", "THROTTLE_PER_HOUR", "CONTINUATION_SECONDS"):
        if env.get(name, "").strip():
            try:
                values[name.lower()] = int(env[name])
            except ValueError as exc:
                raise ConfigError(f"{name} must be a whole number, not {env[name]!r}") from exc
    if env.get("VALIDATE_TWILIO_SIGNATURE"):
        values["validate_twilio_signature"] = _bool(env["VALIDATE_TWILIO_SIGNATURE"])
    settings = Settings(**values)  # type: ignore[arg-type]
    check(settings)
    return settings


def check(settings: Settings) -> None:
    """Raise ConfigError naming every secret production cannot run without."""
    if not settings.is_production:
        return
    missing = []
    if settings.secret_key == DEV_SECRET:
        missing.append("SECRET_KEY")
    if not settings.database_url:
        missing.append("DATABASE_URL")
    if not settings.redis_url:
        missing.append("REDIS_URL")
    if not settings.public_base_url:
        missing.append("PUBLIC_BASE_URL")
    if not settings.twilio_auth_token:
        missing.append("TWILIO_AUTH_TOKEN")
    for name in PROVIDER_SECRETS.get(settings.sms_provider, ()):
        if not getattr(settings, name.lower()):
            missing.append(name)
    if missing:
        raise ConfigError("APP_ENV=production needs these settings: " + ", ".join(missing))


__all__ = ["ConfigError", "Settings", "check", "from_env"]
