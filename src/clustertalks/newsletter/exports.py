"""CSV in and out, in the shape MailerLite imports and exports.

Export: `Email,Name,Language,Subscribed,Confirmed` (one confirmed subscriber a line; MailerLite's
importer maps columns by header). Import: a MailerLite subscriber export (columns matched by
name, case-insensitively: Email/Subscriber, Name, Subscribed/Date subscribed/Created at); the
people in it consented to MailerLite, so they are imported as confirmed with their consent date.
"""

import csv
import datetime as dt
import io

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from . import services
from .models import Subscriber

EXPORT_COLUMNS = ["Email", "Name", "Language", "Subscribed", "Confirmed"]
EMAIL_COLUMNS = {"email", "subscriber", "e-mail", "email address"}
NAME_COLUMNS = {"name", "first name", "full name"}
DATE_COLUMNS = {"subscribed", "date subscribed", "subscribed at", "created at", "signup date",
                "opted in", "consent date"}
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def safe_cell(value) -> str:
    """No formula injection when the file is opened in a spreadsheet."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_confirmed() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    rows = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).order_by("email")
    for s in rows.iterator(chunk_size=2000):
        writer.writerow([s.email, safe_cell(s.name), s.language,
                         _stamp(s.consented_at or s.created_at), _stamp(s.confirmed_at)])
    return out.getvalue()


def _stamp(value) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _parse_when(text: str):
    text = (text or "").strip()
    if not text:
        return None
    moment = parse_datetime(text.replace("/", "-"))
    if moment is None:
        day = parse_date(text.replace("/", "-")[:10])
        moment = dt.datetime.combine(day, dt.time.min) if day else None
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _column(header: list[str], names: set[str]) -> int | None:
    for index, title in enumerate(header):
        if title.strip().lower() in names:
            return index
    return None


def import_mailerlite(data: bytes) -> tuple[int, int]:
    """Returns (imported or updated, skipped). Suppressed or unsubscribed addresses stay so."""
    if len(data) > MAX_IMPORT_BYTES:
        raise services.SignupRefused("The file is too large.")
    text = data.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return 0, 0
    header = rows[0]
    at_email, at_name, at_date = (_column(header, EMAIL_COLUMNS), _column(header, NAME_COLUMNS),
                                  _column(header, DATE_COLUMNS))
    if at_email is None:
        raise services.SignupRefused("The file has no Email column.")
    done = skipped = 0
    with transaction.atomic():
        for row in rows[1:]:
            try:
                email = services.clean_email(row[at_email] if len(row) > at_email else "")
                name = services.clean_name(row[at_name]) if at_name is not None and len(row) > at_name else ""
            except services.SignupRefused:
                skipped += 1
                continue
            when = _parse_when(row[at_date]) if at_date is not None and len(row) > at_date else None
            subscriber, created = Subscriber.objects.get_or_create(
                email=email, defaults={"name": name, "source": "mailerlite"})
            if not created and subscriber.status != Subscriber.Status.PENDING:
                skipped += 1  # confirmed, unsubscribed or suppressed here: keep our record
                continue
            subscriber.status = Subscriber.Status.CONFIRMED
            subscriber.consented_at = when or subscriber.created_at
            subscriber.confirmed_at = when or timezone.now()
            subscriber.name = subscriber.name or name
            subscriber.save()
            done += 1
    return done, skipped
