"""What the accessibility statement says about this installation: contact, dates, enforcement.

The text follows the EU model accessibility statement (Commission Implementing Decision (EU)
2018/1523); the facts that differ between installations come from settings with safe defaults
(docs/configuration.md)."""

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def _email_or_blank(value: str) -> str:
    address = parseaddr(value or "")[1]
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def _date_or_none(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _https_or_blank(url: str) -> str:
    return url if url.startswith("https://") else ""


def accessibility_statement() -> dict:
    """The statement's variable parts; a misconfigured value is left out rather than shown."""
    return {
        "contact_email": _email_or_blank(settings.ACCESSIBILITY_CONTACT_EMAIL),
        "prepared_on": _date_or_none(settings.ACCESSIBILITY_STATEMENT_PREPARED),
        "reviewed_on": _date_or_none(settings.ACCESSIBILITY_STATEMENT_REVIEWED),
        "enforcement_url": _https_or_blank(settings.ACCESSIBILITY_ENFORCEMENT_URL),
    }
