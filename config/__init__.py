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
    db_timeout_seconds: float = 15.0  # give up on a locked or unreachable database after this
    max_body_bytes: int = 32 * 1024
    max_sms_chars: int = 1600
    sweep_after_seconds: int = 60
    spool_replay_seconds: int = 30
    log_level: str = "INFO"
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def embedded_database(self) -> bool:
        return not self.database_url

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

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with some settings replaced (tests and the CLI use this)."""
        return replace(self, **overrides)


def _bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


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
    }
    if env.get("INSTANCE_PATH"):
        values["instance_path"] = Path(env["INSTANCE_PATH"]).resolve()
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
    if settings.sms_provider == "twilio" and not settings.twilio_account_sid:
        missing.append("TWILIO_ACCOUNT_SID")
    if missing:
        raise ConfigError("APP_ENV=production needs these settings: " + ", ".join(missing))


__all__ = ["ConfigError", "Settings", "check", "from_env"]
