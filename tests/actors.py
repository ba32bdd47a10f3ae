"""Actors for tests that only read: services take their actor explicitly, never by default."""

from trustfund_app.core.models import Role
from trustfund_app.core.services.base import Actor

READER = Actor("reader", Role.READ_ONLY)
