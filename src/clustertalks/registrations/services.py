"""Business rules of registration: eligibility, closing time, capacity and the waiting list,
state changes, the attendee's emails, join links, attendance and anonymisation."""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustertalks.core import events, ratelimit
from clustertalks.core.clientip import client_bucket
from clustertalks.core.links import absolute_url
from clustertalks.core.precompiled import Precompiled
from clustertalks.core.prepared import prepared_cursor
from clustertalks.core.timezones import wall_clock_to_utc
from clustertalks.newsletter.services import subscribe_from_registration
from clustertalks.talks.models import Talk

from . import selectors
from .models import Registration, RegistrationPolicy, new_token

Status = Registration.Status
ACTIVE = (Status.PENDING, Status.APPROVED, Status.WAITLISTED)
JOIN_OPENS_BEFORE = dt.timedelta(minutes=15)
MANAGE_SALT = "clustertalks.registrations.manage"


# ---------------------------------------------------------------- policy and openness

def policy_for(talk) -> RegistrationPolicy:
    """The talk's own policy, else its series', else the defaults (one query, or none when the
    talk was loaded with both policies joined, as the talk page does)."""
    joined = _joined_policy(talk)
    if joined is not False:
        return joined or RegistrationPolicy(talk=talk)
    condition = Q(talk_id=talk.pk)
    if talk.series_id:
        condition |= Q(series_id=talk.series_id)
    policies = sorted(RegistrationPolicy.objects.filter(condition), key=lambda p: p.talk_id is None)
    return policies[0] if policies else RegistrationPolicy(talk=talk)


def _joined_policy(talk):
    """The policy from relations already loaded by select_related, None for the defaults, or
    False when they were not loaded (the caller then asks the database)."""
    Talk = type(talk)
    if not Talk.registration_policy.is_cached(talk):
        return False
    own = getattr(talk, "registration_policy", None)
    if own is not None:
        return own
    if not talk.series_id:
        return None
    series = talk.series if Talk.series.is_cached(talk) else None
    if series is None or not type(series).registration_policy.is_cached(series):
        return False
    return getattr(series, "registration_policy", None)


def closing_time(talk, policy: RegistrationPolicy) -> dt.datetime:
    """policy.closes_at, or 23:59 (series time) the day before the talk."""
    if policy.closes_at:
        return policy.closes_at
    day_before = talk.local_start.date() - dt.timedelta(days=1)
    return wall_clock_to_utc(day_before, dt.time(23, 59, 59), talk.zone_name)


@dataclass(frozen=True)
class Openness:
    is_open: bool
    reason: str = ""  # why it is closed, ready to show
    closes_at: dt.datetime | None = None


def openness(talk, policy: RegistrationPolicy, now=None) -> Openness:
    now = now or timezone.now()
    closes_at = closing_time(talk, policy)
    if talk.status == Talk.Status.DRAFT:
        return Openness(False, str(_("This talk is not published yet.")))
    if talk.status == Talk.Status.CANCELLED:
        return Openness(False, str(_("This talk is cancelled.")))
    if talk.status == Talk.Status.POSTPONED:
        return Openness(False, str(_("This talk is postponed: registration opens again with the "
                                     "new date.")))
    if talk.end <= now:
        return Openness(False, str(_("This talk has taken place.")))
    if not policy.is_open:
        return Openness(False, str(_("Registration is closed.")))
    if now >= closes_at:
        return Openness(False, str(_("Registration closed on %(when)s.")
                                   % {"when": format_when(closes_at, talk.zone_name)}))
    return Openness(True, closes_at=closes_at)


def format_when(instant: dt.datetime, zone_name: str) -> str:
    """E.g. “Wednesday 4 March 2026, 08:30 CET”, “środa 4 marca 2026, 08:30 CET”, in the active
    language (an email is rendered under its registration's language)."""
    from clustertalks.core import localdates

    local = instant.astimezone(ZoneInfo(zone_name))
    return f"{localdates.day(local)}, {localdates.clock(local)} {local.tzname()}"


def format_span(start: dt.datetime, end: dt.datetime, zone_name: str) -> str:
    """E.g. “Wednesday 4 March 2026, 08:30–09:30 CET”, “środa, 4 marca 2026, 08:30–09:30 CET”:
    start and end with the zone, in the active language; the end's date is repeated only when it
    falls on another day."""
    from clustertalks.core import localdates

    zone = ZoneInfo(zone_name)
    begins, ends = start.astimezone(zone), end.astimezone(zone)
    if begins.date() == ends.date():
        return localdates.when(begins, ends, ends.tzname())
    return f"{format_when(start, zone_name)} – {format_when(end, zone_name)}"


def is_eligible(policy: RegistrationPolicy, country_code: str) -> bool:
    codes = policy.eligible_codes()
    return codes is None or country_code in codes


# ---------------------------------------------------------------- registering

class RegistrationRefused(Exception):
    """Registration is not possible; the message says why, ready to show."""


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    organisation: str
    organisation_type: str
    country: str
    position: str
    newsletter: bool = False
    language: str = ""
    time_zone: str = ""
    objects_to_recording: bool = False


def register(talk, attendee: Attendee, now=None, policy=None) -> tuple[Registration, bool]:
    """Register `attendee` for `talk`; returns the registration and whether it is new.

    Concurrent sign-ups never exceed the capacity: places are decided under a lock of the talk's
    row, one sign-up after the other. A second sign-up with the same address changes nothing and
    re-sends the status email to that address (so nobody learns from the response whether an
    address is registered).
    """
    email = attendee.email.strip().lower()
    policy = policy or policy_for(talk)
    if not is_eligible(policy, attendee.country):
        raise RegistrationRefused(str(_("Registration is not open to participants from this "
                                        "country.")))
    try:
        return _register(talk, attendee, email, policy, now)
    except IntegrityError:
        # The same address signed up for this talk at the same moment (a double click): the
        # other sign-up's row is committed now, so this one is a repeat of it.
        return _register(talk, attendee, email, policy, now)


def _register(talk, attendee: Attendee, email: str, policy, now) -> tuple[Registration, bool]:
    """One transaction and one commit (one disk flush) per sign-up. What is the same whatever
    the place (the new row and its audit entry, the newsletter opt-in) is written before the
    talk's row is locked, so that the lock, which sign-ups of a talk wait for in turn, is held
    only for deciding the place, the email task and the commit."""
    with transaction.atomic():
        earlier = selectors.earlier_registration(talk.pk, email)
        registration = None
        if earlier is None:
            # A concurrent sign-up with this address waits here for the other to commit, then
            # fails on the unique constraint (register() then tries again).
            registration = _new_registration(talk, attendee, email, policy, now)
            subscribe_from_registration(registration)
        talk = _locked(talk)
        state = openness(talk, policy, now)
        if not state.is_open:
            raise RegistrationRefused(state.reason)  # the new row is rolled back
        if registration is None:
            registration, is_new = _register_again(talk, attendee, email, policy, now)
            if not is_new:
                return registration, False
        elif registration.status == Status.WAITLISTED and policy.capacity is not None:
            _take_free_place(registration, policy.capacity)
        # The email task is a row written in the same transaction: the worker sees it only once
        # the sign-up is committed, and no sign-up loses its email if the process dies.
        notify(registration, FIRST_EMAIL[registration.status])
        events.send_after_commit(events.registration_created, Registration,
                                 registration=registration)
    return registration, True


FIRST_EMAIL = {Status.PENDING: "received", Status.APPROVED: "approved",
               Status.WAITLISTED: "waitlisted"}


def _new_registration(talk, attendee: Attendee, email: str, policy, now) -> Registration:
    """Saved with its final status when no place is to be decided (manual approval, no
    capacity), else on the waiting list until `_take_free_place` looks under the lock."""
    registration = Registration(talk=talk, email=email)
    _fill(registration, attendee, now)
    if policy.approval == RegistrationPolicy.Approval.MANUAL:
        registration.status = Status.PENDING
    else:
        registration.status = Status.APPROVED if policy.capacity is None else Status.WAITLISTED
        registration.decided_at = registration.consented_at
    registration.save()
    return registration


def _take_free_place(registration: Registration, capacity: int) -> None:
    """Approve the registration if a place is free: one statement, run under the talk's lock,
    that counts the approved and moves this row only when they are fewer than the places."""
    if _approve_if_free(registration.pk, registration.talk_id, capacity):
        registration.status = Status.APPROVED


def _approve_if_free(registration_id: int, talk_id: int, capacity: int) -> bool:
    quote, meta = connection.ops.quote_name, Registration._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    talk, status = quote(meta.get_field("talk").column), quote(meta.get_field("status").column)
    sql = (f"UPDATE {table} SET {status} = %s WHERE {pk} = %s AND "
           f"(SELECT COUNT(*) FROM {table} WHERE {talk} = %s AND {status} = %s) < %s")
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [Status.APPROVED.value, registration_id, talk_id,
                             Status.APPROVED.value, capacity])
        return cursor.rowcount == 1


def _register_again(talk, attendee: Attendee, email: str, policy, now) -> tuple[Registration, bool]:
    """An address registered before: read again under the lock (a sign-up with it may have
    just committed). Still active: nothing changes and its status email goes again. Cancelled
    or rejected: the same row becomes a new registration, its place decided as for anyone."""
    existing = selectors.earlier_registration(talk.pk, email)
    if existing is not None and existing.is_active:
        transaction.on_commit(lambda: notify(existing, "status"))
        return existing, False
    registration = existing or Registration(talk=talk, email=email)  # None: erased meanwhile
    _fill(registration, attendee, now)
    registration.status = _initial_status(talk, policy)
    if registration.status != Status.PENDING:
        registration.decided_at = registration.consented_at
    registration.save()
    subscribe_from_registration(registration)
    return registration, True


_TALK_LOCK = Precompiled(
    lambda pk: (Talk.objects.select_for_update().filter(pk=pk).order_by()
                .values_list("status", "start", "end")),
    pk=-7_000_000_000_003, prepare=True,
)


def _locked(talk):
    """Lock the talk row (sign-ups of one talk decide their places one after the other) and
    bring what decides openness up to date from it. Only three columns are read under the lock,
    with SQL compiled once per process: the series (zone, policy) was loaded with the talk."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("the talk is locked inside a transaction")
    rows = _TALK_LOCK.rows(pk=talk.pk)
    if not rows:
        raise Talk.DoesNotExist("the talk was deleted")
    (status, start, end), = rows
    if talk.series_id and not Talk.series.is_cached(talk):
        talk = Talk.objects.select_related("series").get(pk=talk.pk)
    talk.status, talk.start, talk.end = status, start, end
    return talk


def _fill(registration: Registration, attendee: Attendee, now) -> None:
    for field in ("name", "organisation", "organisation_type", "country", "position",
                  "newsletter", "language", "time_zone", "objects_to_recording"):
        setattr(registration, field, getattr(attendee, field))
    registration.consented_at = now or timezone.now()
    registration.cancelled_at = None
    registration.decided_at = None
    registration.attended = False


def _initial_status(talk, policy: RegistrationPolicy) -> str:
    if policy.approval == RegistrationPolicy.Approval.MANUAL:
        return Status.PENDING
    return Status.APPROVED if has_free_place(talk, policy) else Status.WAITLISTED


def has_free_place(talk, policy: RegistrationPolicy) -> bool:
    if policy.capacity is None:
        return True
    return Registration.objects.filter(talk=talk, status=Status.APPROVED).count() < policy.capacity


def counts_by_status(talk) -> dict[str, int]:
    rows = Registration.objects.filter(talk=talk).values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# ---------------------------------------------------------------- organiser decisions

def decide(registration_ids, approve: bool) -> dict[str, int]:
    """Approve (up to the capacity; the rest goes to the waiting list) or reject registrations.
    Returns how many ended in each state."""
    outcome = {Status.APPROVED: 0, Status.WAITLISTED: 0, Status.REJECTED: 0}
    talk_ids = (Registration.objects.filter(pk__in=registration_ids)
                .values_list("talk_id", flat=True).distinct())
    for talk_id in list(talk_ids):
        with transaction.atomic():
            talk = Talk.objects.select_for_update().get(pk=talk_id)
            policy = policy_for(talk)
            candidates = Registration.objects.filter(
                pk__in=registration_ids, talk=talk,
                status__in=[Status.PENDING, Status.WAITLISTED] + ([] if approve else [Status.APPROVED]),
            ).order_by("created_at", "pk")
            for registration in candidates:
                new = Status.REJECTED
                if approve:
                    new = Status.APPROVED if has_free_place(talk, policy) else Status.WAITLISTED
                if new == registration.status:
                    continue
                was_approved = registration.status == Status.APPROVED
                _move(registration, new)
                outcome[new] += 1
                if was_approved:
                    transaction.on_commit(lambda t=talk: promote_waitlist(t))
    return outcome


def _move(registration: Registration, new: str) -> None:
    registration.status = new
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "decided_at"])
    kind = {Status.APPROVED: "approved", Status.WAITLISTED: "waitlisted",
            Status.REJECTED: "rejected"}[new]
    transaction.on_commit(lambda: notify(registration, kind))


def cancel(registration: Registration) -> bool:
    """The attendee cancels; a freed place goes to the first person waiting.
    Returns False when there was nothing to cancel (e.g. a replayed link)."""
    with transaction.atomic():
        talk = Talk.objects.select_for_update().get(pk=registration.talk_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if not current.is_active:
            return False
        was_approved = current.status == Status.APPROVED
        current.status = Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        registration.status, registration.cancelled_at = current.status, current.cancelled_at
        transaction.on_commit(lambda: notify(current, "cancelled_by_attendee",
                                             had_invitation=was_approved))
        if was_approved:
            transaction.on_commit(lambda: promote_waitlist(talk))
    return True


def promote_waitlist(talk) -> int:
    """Give free places to the waiting list, first come first served; returns how many."""
    promoted = 0
    with transaction.atomic():
        talk = Talk.objects.select_for_update().get(pk=talk.pk)
        if talk.status != Talk.Status.PUBLISHED or talk.is_past:
            return 0
        policy = policy_for(talk)
        waiting = Registration.objects.filter(talk=talk, status=Status.WAITLISTED)
        for registration in waiting.order_by("created_at", "pk"):
            if not has_free_place(talk, policy):
                break
            _move(registration, Status.APPROVED)
            promoted += 1
    return promoted


# ---------------------------------------------------------------- links

def manage_token(registration: Registration) -> str:
    return signing.TimestampSigner(salt=MANAGE_SALT).sign(registration.token)


def registration_from_manage_token(value: str) -> Registration | None:
    """None for a forged, expired or unknown token (an anonymised registration has a new one)."""
    max_age = dt.timedelta(days=settings.REGISTRATION_LINK_MAX_AGE_DAYS)
    try:
        token = signing.TimestampSigner(salt=MANAGE_SALT).unsign(value[:200], max_age=max_age)
    except signing.BadSignature:
        return None
    return (Registration.objects.select_related("talk__series")
            .filter(token=token, anonymised_at__isnull=True).first())


def manage_url(registration) -> str:
    return absolute_url(reverse("registrations:manage", args=[manage_token(registration)]))


def join_url(registration) -> str:
    return absolute_url(reverse("registrations:join", args=[registration.token]))


@dataclass(frozen=True)
class JoinDecision:
    meeting_url: str = ""  # set when the visitor may go in now
    # unknown, unavailable, not_approved, no_meeting, too_early, ended, cancelled, postponed
    state: str = ""
    opens_at: dt.datetime | None = None


def join_decision(token: str, now=None) -> tuple[Registration | None, JoinDecision]:
    now = now or timezone.now()
    registration = (Registration.objects.select_related("talk__series")
                    .filter(token=token[:64], anonymised_at__isnull=True).first())
    if registration is None:
        return None, JoinDecision(state="unknown")
    talk = registration.talk
    opens_at = talk.start - JOIN_OPENS_BEFORE
    if not talk.is_public:  # put back to draft: nothing about it may show, least of all the room
        return registration, JoinDecision(state="unavailable")
    if talk.status == Talk.Status.CANCELLED:
        state = "cancelled"
    elif talk.status == Talk.Status.POSTPONED:
        state = "postponed"
    elif registration.status != Status.APPROVED:
        state = "not_approved"
    elif now >= talk.end:
        state = "ended"
    elif now < opens_at:
        state = "too_early"
    elif not talk.meeting_url:
        state = "no_meeting"
    else:
        return registration, JoinDecision(meeting_url=talk.meeting_url, opens_at=opens_at)
    return registration, JoinDecision(state=state, opens_at=opens_at)


# ---------------------------------------------------------------- rate limit

def allow_attempt(request, email: str) -> bool:
    """Whether this valid submission may go ahead: at most REGISTRATION_RATE_LIMIT per client
    (its own address, also behind the reverse proxy: core.clientip) and
    REGISTRATION_RATE_LIMIT_PER_EMAIL per address, per window. Only valid submissions count,
    so a visitor's typing errors never use up the places of others on the same network."""
    window = settings.REGISTRATION_RATE_WINDOW
    return (ratelimit.hit("registrations:client", client_bucket(request),
                          settings.REGISTRATION_RATE_LIMIT, window)
            and ratelimit.hit("registrations:email", email.strip().lower(),
                              settings.REGISTRATION_RATE_LIMIT_PER_EMAIL, window))


# ---------------------------------------------------------------- attendance and export

EMAIL_PATTERN = re.compile(r"[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"']+")


def import_attendance(talk, csv_bytes: bytes) -> tuple[int, int]:
    """Mark as attended every registration whose address appears in the CSV (a Zoom or Teams
    attendance export: any column, any header). Returns (matched, addresses not registered)."""
    text = csv_bytes.decode("utf-8-sig", errors="replace")
    found = {match.lower() for match in EMAIL_PATTERN.findall(text)}
    registered = set(Registration.objects.filter(talk=talk, email__in=found)
                     .values_list("email", flat=True))
    Registration.objects.filter(talk=talk, email__in=registered).update(attended=True)
    return len(registered), len(found - registered)


CSV_COLUMNS = ["talk", "status", "name", "email", "organisation", "organisation_type", "country",
               "position", "newsletter", "attended", "registered_at", "objects_to_recording"]


def safe_cell(value) -> str:
    """Neutralise spreadsheet formulas (=, +, -, @, tab, carriage return) in exported text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def export_csv(registrations) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in registrations.select_related("talk"):
        writer.writerow([safe_cell(v) for v in (
            r.talk.title, r.status, r.name, r.email, r.organisation, r.organisation_type,
            r.country.code, r.position, "yes" if r.newsletter else "no",
            "yes" if r.attended else "no", r.created_at.isoformat(),
            "yes" if r.objects_to_recording else "no")])
    return out.getvalue()


# ---------------------------------------------------------------- privacy

def add_months(instant: dt.datetime, months: int) -> dt.datetime:
    month_index = instant.month - 1 + months
    year, month = instant.year + month_index // 12, month_index % 12 + 1
    day = min(instant.day, 28)
    return instant.replace(year=year, month=month, day=day)


def anonymise_old_registrations(now=None) -> int:
    """Erase the personal data of registrations for talks that ended more than
    REGISTRATION_RETENTION_MONTHS ago; the country, organisation type, status and attendance
    stay for the statistics. Returns how many were anonymised."""
    now = now or timezone.now()
    cutoff = add_months(now, -settings.REGISTRATION_RETENTION_MONTHS)
    old = Registration.objects.filter(talk__end__lt=cutoff, anonymised_at__isnull=True)
    count = 0
    for registration in old.only("pk").iterator():
        Registration.objects.filter(pk=registration.pk).update(
            name="", email=f"anonymised-{registration.pk}@invalid", organisation="", position="",
            time_zone="", token=new_token(), anonymised_at=now,
        )
        count += 1
    return count


def notify(registration: Registration, kind: str, **extra) -> None:
    """Have the worker write and send this email: the request only enqueues a task."""
    from .tasks import send_registration_email

    send_registration_email.enqueue(registration.pk, kind, extra)


# ---------------------------------------------------------------- reminders

OFFSET_UNITS = {"d": 1440, "h": 60, "m": 1}


def parse_offsets(text: str) -> list[dt.timedelta]:
    """“24h,1h” → [24 hours, 1 hour]. Raises ValueError on anything else."""
    offsets = []
    for part in (text or "").replace(" ", "").split(","):
        if not part:
            continue
        match = re.fullmatch(r"(\d{1,4})([dhm])", part.lower())
        if not match or int(match[1]) == 0:
            raise ValueError(part)
        offsets.append(dt.timedelta(minutes=int(match[1]) * OFFSET_UNITS[match[2]]))
    return offsets


def format_offset(offset: dt.timedelta) -> str:
    from django.utils.translation import ngettext

    minutes = int(offset.total_seconds() // 60)
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("in %(n)d hour", "in %(n)d hours", hours) % {"n": hours}
    return ngettext("in %(n)d minute", "in %(n)d minutes", minutes) % {"n": minutes}


def next_closing_time(now: dt.datetime) -> dt.datetime | None:
    """The next moment a talk page's registration panel turns from open to closed (two small
    queries; the page cache expires its entries then). A default closing time that a policy
    overrides only makes an entry expire early, which is harmless."""
    explicit = RegistrationPolicy.objects.filter(closes_at__gt=now).order_by("closes_at")
    candidates = list(explicit.values_list("closes_at", flat=True)[:1])
    for talk in Talk.objects.published().filter(start__gt=now).select_related("series").order_by("start")[:3]:
        candidates.append(closing_time(talk, RegistrationPolicy(talk=talk)))
    return min((when for when in candidates if when > now), default=None)
