"""Twilio webhooks (placeholder until the transport work lands)."""

from flask import Blueprint

blueprint = Blueprint("webhooks", __name__)
