"""A real SMTP server on localhost (aiosmtpd) for the registration and outbox tests."""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar


class Inbox:
    """Collects every message the SMTP server accepts; can refuse them while `down`."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.refuse = False
        self.bad_calendars = []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for piece in message.walk():  # every calendar attachment must parse
            if piece.get_content_type() == "text/calendar":
                try:
                    Calendar.from_ical(piece.get_content())
                except Exception as error:  # noqa: BLE001 - reported by the fixture
                    self.bad_calendars.append(repr(error))
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]

    def subjects(self, address=None):
        return [m["Subject"] for m in (self.to(address) if address else self.messages)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    inbox.port = port
    yield inbox
    controller.stop()
    assert not inbox.bad_calendars, inbox.bad_calendars


def _clear_local_cache():
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):  # never flush a shared Redis
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    _clear_local_cache()
    yield
    _clear_local_cache()


def part(message, content_type):
    for piece in message.walk():
        if piece.get_content_type() == content_type:
            return piece
    return None
