"""The Flask side of posyandu-bot: app factory, webhooks, dashboard, transport and CLI."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from sqlalchemy import text

from bot.config import load_settings
from bot.runtime import Runtime, build_runtime


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web app; ``config`` keys (without ``POSYANDU_``) override the environment."""
    settings = load_settings(config)
    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = settings.SECRET_KEY
    app.config["TESTING"] = settings.TESTING
    runtime = build_runtime(settings)
    app.extensions["posyandu"] = runtime

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        try:
            with runtime.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return jsonify(status="unavailable"), 503
        return jsonify(status="ok")

    from bot.webhooks import blueprint as webhooks

    app.register_blueprint(webhooks)
    from bot.media import blueprint as media

    app.register_blueprint(media)
    return app


def runtime_of(app: Flask) -> Runtime:
    runtime: Runtime = app.extensions["posyandu"]
    return runtime
