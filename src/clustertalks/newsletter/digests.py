"""Digests: proposed from the data, edited by an organiser, sent through the email outbox.

Sending writes one outbox row per (digest, subscriber) with the unique key
`digest:<digest>:<subscriber>`, in batches, then asks the worker to deliver what is due. A send
that stops halfway (crash, deploy) is resumed by running it again: rows already written are
skipped by their key, so each subscriber gets the digest exactly once whatever the engine does.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from clustertalks.branding.services import brand_for_series
from clustertalks.core.language_choice import offered_or_default
from clustertalks.core.links import absolute_url
from clustertalks.core.markdown import render_markdown
from clustertalks.core.models import OutboundEmail
from clustertalks.talks.models import Talk

from . import services
from .models import Digest, Subscriber

UNSUBSCRIBE, PREFERENCES = "@@CT-UNSUBSCRIBE@@", "@@CT-PREFERENCES@@"
RECORDINGS_LOOKBACK = dt.timedelta(days=30)


def batch_size() -> int:
    return int(getattr(settings, "NEWSLETTER_BATCH_SIZE", 500))


def _talks(series):
    talks = Talk.objects.published().exclude(status=Talk.Status.CANCELLED)
    return talks.filter(series=series) if series else talks


def _bounds(start: dt.date, end: dt.date):
    zone = timezone.get_default_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    return low, dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _md(text: str) -> str:
    """Titles typed by people must not turn into Markdown links or headings."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!<>|" else c for c in text)


def propose(period_start: dt.date, period_end: dt.date, series=None) -> Digest:
    """A draft digest for the period: the next talk highlighted, the other talks of the period
    with their registration links, and recordings published in the 30 days before the period
    (or during it) with their key takeaways. The organiser edits it before sending."""
    low, high = _bounds(period_start, period_end)
    upcoming = list(_talks(series).filter(start__gte=low, start__lt=high)
                    .select_related("series").prefetch_related("topics").order_by("start"))
    recorded = list(
        _talks(series).filter(summary__materials_published_at__gte=low - RECORDINGS_LOOKBACK,
                              summary__materials_published_at__lt=high, recordings__isnull=False)
        .distinct().prefetch_related("takeaways", "topics").order_by("-start")
    )
    lines = []
    if upcoming:
        first = upcoming[0]
        lines += [f"## {_('Next talk')}", "",
                  f"**[{_md(first.title)}]({absolute_url(first.get_absolute_url())})**, "
                  f"{_when(first)}", "",
                  f"[{_('Register')}]({_register_url(first)})", ""]
    if len(upcoming) > 1:
        lines += [f"## {_('Coming up')}", ""]
        lines += [f"- [{_md(t.title)}]({absolute_url(t.get_absolute_url())}), {_when(t)}: "
                  f"[{_('register')}]({_register_url(t)})" for t in upcoming[1:]]
        lines.append("")
    if recorded:
        lines += [f"## {_('New recordings')}", ""]
        for talk in recorded:
            lines += [f"### [{_md(talk.title)}]({absolute_url(talk.get_absolute_url())})", ""]
            lines += [f"- {_md(t.text)}" for t in talk.takeaways.all()[:5]]
            lines.append("")
    name = brand_for_series(series.pk if series else None).name
    digest = Digest.objects.create(
        series=series, period_start=period_start, period_end=period_end,
        subject=_("%(name)s: talks and recordings, %(start)s – %(end)s") % {
            "name": name, "start": period_start.isoformat(), "end": period_end.isoformat()},
        body="\n".join(lines).strip() or _("No talks or recordings in this period."),
        has_recordings=bool(recorded),
    )
    digest.topics.set({topic.pk for talk in upcoming + recorded for topic in talk.topics.all()})
    return digest


def _when(talk) -> str:
    local = talk.start.astimezone(ZoneInfo(talk.zone_name))
    return f"{local:%d %B %Y, %H:%M} {local.tzname()}"


def _register_url(talk) -> str:
    return absolute_url(reverse("registrations:register", args=[talk.slug]))


def render(digest: Digest, language: str = "", personal: bool = True) -> dict:
    """Subject, text and HTML of the digest; with `personal`, links are markers that each
    subscriber's own links replace."""
    with translation.override(offered_or_default(language)):
        context = {"digest": digest, "intro_html": render_markdown(digest.intro),
                   "body_html": render_markdown(digest.body), "personal": personal,
                   "unsubscribe_url": UNSUBSCRIBE, "preferences_url": PREFERENCES,
                   "archive_url": absolute_url(digest.get_absolute_url()),
                   "BRAND": (brand := brand_for_series(digest.series_id)), "SITE_NAME": brand.name}
        return {"subject": digest.subject,
                "body_text": render_to_string("newsletter/email/digest.txt", context),
                "body_html": render_to_string("newsletter/email/digest.html", context)}


def personalise(message: dict, subscriber: Subscriber) -> dict:
    unsubscribe, preferences = (services.unsubscribe_url(subscriber),
                                services.preferences_url(subscriber))
    return {
        "subject": message["subject"],
        "body_text": message["body_text"].replace(UNSUBSCRIBE, unsubscribe)
        .replace(PREFERENCES, preferences),
        "body_html": message["body_html"].replace(UNSUBSCRIBE, escape(unsubscribe))
        .replace(PREFERENCES, escape(preferences)),
        "headers": services.list_headers(unsubscribe),
    }


def recipients(digest: Digest):
    """Confirmed subscribers who want this digest: the whole series; their topics; or, for
    'new recordings only', a digest that announces recordings."""
    wanted = Q(follow=Subscriber.Follow.SERIES)
    topic_ids = list(digest.topics.values_list("pk", flat=True))
    if topic_ids:
        wanted |= Q(follow=Subscriber.Follow.TOPICS, topics__in=topic_ids)
    if digest.has_recordings:
        wanted |= Q(follow=Subscriber.Follow.RECORDINGS)
    matching = Subscriber.objects.filter(wanted).values("pk")
    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, pk__in=matching)


def dedupe_key(digest: Digest, subscriber_pk: int) -> str:
    return f"digest:{digest.pk}:{subscriber_pk}"


def send_test(digest: Digest, to: str) -> None:
    from clustertalks.core.mail import queue_email

    message = render(digest)
    message = {**message, "subject": f"[{_('Test')}] {message['subject']}",
               "body_text": message["body_text"].replace(UNSUBSCRIBE, "#").replace(PREFERENCES, "#"),
               "body_html": message["body_html"].replace(UNSUBSCRIBE, "#").replace(PREFERENCES, "#")}
    queue_email(to=to, kind="newsletter:digest-test", **message)


def start_sending(digest: Digest) -> bool:
    """Mark the digest as sending and hand it to the worker; False when it was not a draft."""
    from . import tasks

    if not Digest.objects.filter(pk=digest.pk, status=Digest.Status.DRAFT).update(
            status=Digest.Status.SENDING):
        return False
    tasks.send_digest.enqueue(digest.pk)
    return True


def queue_batch(digest: Digest, subscribers: list[Subscriber], rendered: dict) -> int:
    rows = []
    for subscriber in subscribers:
        if subscriber.language not in rendered:
            rendered[subscriber.language] = render(digest, subscriber.language)
        rows.append(OutboundEmail(
            to=subscriber.email, kind="newsletter:digest",
            dedupe_key=dedupe_key(digest, subscriber.pk),
            **personalise(rendered[subscriber.language], subscriber)))
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def send(digest: Digest) -> int:
    """Write the outbox rows of every recipient (resumable), then let the worker deliver them.
    Returns the number of recipients."""
    from clustertalks.core.tasks import deliver_due_emails

    rendered: dict = {}
    last_pk, total = 0, 0
    recipients_qs = recipients(digest).order_by("pk")
    while True:
        batch = list(recipients_qs.filter(pk__gt=last_pk)[:batch_size()])
        if not batch:
            break
        total += queue_batch(digest, batch, rendered)
        last_pk = batch[-1].pk
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENT, sent_at=timezone.now(),
                                               recipients=total)
    deliver_due_emails.enqueue()
    return total
