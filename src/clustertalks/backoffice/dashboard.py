"""The organiser dashboard: the next talks with their registrations against capacity, and what
needs doing, each item linking to the screen that does it.

Scoped by the role model (a series organiser sees their series only) and built in a fixed
number of queries whatever the number of talks: one per panel, each limited."""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clustertalks.core.models import OutboundEmail
from clustertalks.materials.models import Attachment, Recording
from clustertalks.registrations.models import Registration, RegistrationPolicy
from clustertalks.roles import services as roles
from clustertalks.talks.models import Talk

from .dates import back_office_datetime

NEXT_TALKS = 5
LIST_LIMIT = 10
RECENTLY_HELD = dt.timedelta(days=90)
Status = Registration.Status


@dataclass
class NextTalk:
    talk: Talk
    when: str
    approved: int
    waitlisted: int
    pending: int
    capacity: int | None
    change_url: str
    registrations_url: str

    @property
    def percent_full(self) -> int | None:
        if not self.capacity:
            return None
        return min(100, round(100 * self.approved / self.capacity))


@dataclass
class Task:
    text: str
    url: str
    action: str


@dataclass
class Dashboard:
    next_talks: list[NextTalk] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    new_talk_links: list[tuple[str, str]] = field(default_factory=list)
    shows_registrations: bool = False


def admin_url(name: str, *args, query: dict | None = None) -> str:
    url = reverse(f"admin:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def build(user, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    board = Dashboard(shows_registrations=roles.can(user, "view", Registration))
    if roles.can(user, "view", Talk):
        board.next_talks = next_talks(user, now, with_registrations=board.shows_registrations)
        board.tasks += held_without_recording(user, now)
        board.tasks += drafts_to_complete(user, now)
        board.tasks += materials_unpublished(user, now)
    if board.shows_registrations:
        board.tasks += registrations_awaiting_approval(user)
    if roles.can(user, "view", OutboundEmail) and user.has_perm("core.view_outboundemail"):
        board.tasks += failing_emails()
    if roles.can(user, "add", Talk):
        board.new_talk_links = [
            (series.name, admin_url("talks_talk_add", query={"series": series.pk}))
            for series in roles.series_for(user).order_by("name")
        ]
    return board


def scoped_talks(user):
    return roles.scope(user, Talk.objects.all())


def next_talks(user, now, *, with_registrations: bool) -> list[NextTalk]:
    counts = {
        name: Count("registrations", filter=Q(registrations__status=status))
        for name, status in (("approved", Status.APPROVED), ("waitlisted", Status.WAITLISTED),
                             ("pending", Status.PENDING))
    }
    talks = list(
        scoped_talks(user).filter(end__gte=now).exclude(status=Talk.Status.CANCELLED)
        .select_related("series").annotate(**counts).order_by("start", "pk")[:NEXT_TALKS]
    )
    capacities = capacities_of(talks)
    return [
        NextTalk(
            talk=talk, when=back_office_datetime(talk.start, ZoneInfo(talk.zone_name)),
            approved=talk.approved, waitlisted=talk.waitlisted, pending=talk.pending,
            capacity=capacities.get(talk.pk),
            change_url=admin_url("talks_talk_change", talk.pk),
            registrations_url=admin_url("registrations_registration_changelist",
                                        query={"talk__id__exact": talk.pk})
            if with_registrations else "",
        )
        for talk in talks
    ]


def capacities_of(talks) -> dict[int, int | None]:
    """Each talk's capacity: its own policy, else its series' (one query for all)."""
    if not talks:
        return {}
    series_ids = {talk.series_id for talk in talks if talk.series_id}
    policies = RegistrationPolicy.objects.filter(
        Q(talk__in=talks) | Q(series_id__in=series_ids)
    ).only("talk_id", "series_id", "capacity")
    by_talk = {p.talk_id: p.capacity for p in policies if p.talk_id}
    by_series = {p.series_id: p.capacity for p in policies if p.series_id}
    return {talk.pk: by_talk[talk.pk] if talk.pk in by_talk else by_series.get(talk.series_id)
            for talk in talks}


def days_ago(now, instant) -> int:
    return max(0, (now - instant).days)


def held_without_recording(user, now) -> list[Task]:
    talks = (scoped_talks(user)
             .filter(status=Talk.Status.PUBLISHED, end__lt=now, end__gte=now - RECENTLY_HELD)
             .exclude(Exists(Recording.objects.filter(talk=OuterRef("pk"))))
             .order_by("-end")[:LIST_LIMIT])
    tasks = []
    for talk in talks:
        days = days_ago(now, talk.end)
        held = (_("held today") if days == 0 else
                ngettext("held %(days)d day ago", "held %(days)d days ago", days) % {"days": days})
        tasks.append(Task(
            text=_("%(talk)s: %(held)s, no recording yet") % {"talk": talk.title, "held": held},
            url=admin_url("materials_talkmaterials_change", talk.pk),
            action=_("Add the recording"),
        ))
    return tasks


def drafts_to_complete(user, now) -> list[Task]:
    drafts = (scoped_talks(user).filter(status=Talk.Status.DRAFT)
              .annotate(speakers=Count("participations"))
              .filter(Q(speakers=0) | Q(start__lt=now))
              .order_by("start", "pk")[:LIST_LIMIT])
    tasks = []
    for talk in drafts:
        if talk.speakers == 0:
            text = _("Draft “%(talk)s” has no speakers yet") % {"talk": talk.title}
            action = _("Add speakers")
        else:
            text = _("Draft “%(talk)s” has a date in the past") % {"talk": talk.title}
            action = _("Set the date")
        tasks.append(Task(text=text, url=admin_url("talks_talk_change", talk.pk), action=action))
    return tasks


def materials_unpublished(user, now) -> list[Task]:
    has_materials = (Exists(Recording.objects.filter(talk=OuterRef("pk")))
                     | Exists(Attachment.objects.filter(talk=OuterRef("pk"))))
    talks = (scoped_talks(user).filter(status=Talk.Status.PUBLISHED, end__lt=now)
             .filter(has_materials)
             .filter(Q(summary__isnull=True) | Q(summary__materials_published_at__isnull=True))
             .order_by("-end")[:LIST_LIMIT])
    return [
        Task(text=_("%(talk)s: materials uploaded but not published") % {"talk": talk.title},
             url=admin_url("materials_talkmaterials_change", talk.pk),
             action=_("Review and publish"))
        for talk in talks
    ]


def registrations_awaiting_approval(user) -> list[Task]:
    rows = (roles.scope(user, Registration.objects.filter(status=Status.PENDING))
            .values("talk_id", "talk__title").annotate(n=Count("pk"))
            .order_by("talk__start", "talk_id")[:LIST_LIMIT])
    return [
        Task(
            text=ngettext("%(talk)s: %(n)d registration waiting for approval",
                          "%(talk)s: %(n)d registrations waiting for approval", row["n"])
            % {"talk": row["talk__title"], "n": row["n"]},
            url=admin_url("registrations_registration_changelist",
                          query={"talk__id__exact": row["talk_id"], "status__exact": Status.PENDING}),
            action=_("Approve or reject"),
        )
        for row in rows
    ]


def failing_emails() -> list[Task]:
    """Emails given up on (failed), and emails the delivery engine is still retrying after an
    error (queued or being sent, with a last error): one query for both."""
    errors = Q(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING]) & ~Q(last_error="")
    counts = OutboundEmail.objects.aggregate(
        failed=Count("pk", filter=Q(status=OutboundEmail.Status.FAILED)),
        retrying=Count("pk", filter=errors),
    )
    kinds = (
        ("failed", OutboundEmail.Status.FAILED, _("See the errors"),
         lambda n: ngettext("%(n)d email failing: given up after every attempt",
                            "%(n)d emails failing: given up after every attempt", n)),
        ("retrying", OutboundEmail.Status.QUEUED, _("See the queue"),
         lambda n: ngettext("%(n)d email failing: being retried after an error",
                            "%(n)d emails failing: being retried after an error", n)),
    )
    return [
        Task(text=describe(counts[key]) % {"n": counts[key]},
             url=admin_url("core_outboundemail_changelist", query={"status__exact": status}),
             action=action)
        for key, status, action, describe in kinds if counts[key]
    ]
