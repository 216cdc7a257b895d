"""lapor-sms: the SMS gateway for SP4N-LAPOR! short code 1708."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Settings, from_env

from . import logs


def create_app(settings: Settings | None = None) -> Flask:
    """Build the web application: config, extensions, blueprints, CLI."""
    settings = settings or from_env()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    register_config(app, settings)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    return app


def register_config(app: Flask, settings: Settings) -> None:
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_body_bytes,
        TESTING=settings.app_env == "test",
        SESSION_COOKIE_SECURE=settings.is_production,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    logs.configure(settings.log_level, settings.log_format)
    logs.init_app(app)
    if not settings.public_base_url:
        # Behind a proxy, the signed URL is the public one the proxy forwards.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)


def register_extensions(app: Flask) -> None:
    from workers.queues import Enqueuer

    from . import db, redis_conn
    from .web import access, i18n

    db.init_app(app)
    redis_conn.init_app(app)
    access.init_app(app)
    i18n.init_app(app)
    app.extensions["enqueuer"] = Enqueuer(app.extensions["redis"])


def register_blueprints(app: Flask) -> None:
    from .web import agency, api, auth, console, errors, gateways, health, open311, public, webhooks

    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(gateways.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(open311.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(agency.bp)
    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from . import cli

    cli.init_app(app)
