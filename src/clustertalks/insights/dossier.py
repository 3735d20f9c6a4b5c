"""The recap dossier of a series for a period: the numbers, the talks with their speakers and
the key takeaways grouped by topic and by kind, each linked to its talk and recording. Rendered
as print-ready HTML, as a PDF (WeasyPrint) and as a CSV of all takeaways; an organiser can turn it
into the draft page of a recap talk."""

import csv
import io

from django.db.models import Min, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from clustertalks.core.links import absolute_url
from clustertalks.materials.models import Recording, Takeaway
from clustertalks.materials.selectors import public_materials
from clustertalks.people.models import Participation

from . import presentation, statistics
from .period import Period

KIND_ORDER = [Takeaway.Kind.CHALLENGE, Takeaway.Kind.SOLUTION, Takeaway.Kind.GOOD_PRACTICE,
              Takeaway.Kind.POLICY, Takeaway.Kind.FUNDING, Takeaway.Kind.NEXT_STEP]


def build(series=None, period: Period | None = None, now=None) -> dict:
    period = period or Period()
    stats = statistics.compute(series, period, now)
    held = statistics.held_talks(series, period, now)
    talks = list(held.select_related("series").order_by("start").prefetch_related(
        Prefetch("participations", queryset=Participation.objects.filter(
            role__in=statistics.SPEAKING_ROLES).select_related("person", "organisation"))))
    first_recording = dict(Recording.objects.filter(public_materials(), talk__in=held.values("pk"))
                           .values("talk").annotate(first=Min("pk")).values_list("talk", "first"))
    takeaways = list(Takeaway.objects.filter(public_materials(), talk__in=held.values("pk"))
                     .select_related("talk", "talk__series", "topic", "person")
                     .order_by("talk__start", "order", "pk"))
    for takeaway in takeaways:
        takeaway.talk_url = absolute_url(takeaway.talk.get_absolute_url())
        recording = first_recording.get(takeaway.talk_id)
        takeaway.recording_url = absolute_url(
            reverse("materials:recording", args=[takeaway.talk.slug, recording])) if recording else ""
    return {
        "series": series, "period": period, "stats": stats,
        "headline": presentation.headline(stats), "figures": presentation.figures(stats),
        "talks": talks, "takeaways": takeaways,
        "by_topic": _group(takeaways, lambda t: t.topic.name if t.topic else _("Other topics")),
        "by_kind": [(str(Takeaway.Kind(kind).label), items) for kind, items in
                    _group_ordered(takeaways, KIND_ORDER)],
    }


def _group(items, key) -> list:
    groups: dict = {}
    for item in items:
        groups.setdefault(str(key(item)), []).append(item)
    return sorted(groups.items(), key=lambda pair: (pair[0] == _("Other topics"), pair[0]))


def _group_ordered(takeaways, order) -> list:
    return [(kind, [t for t in takeaways if t.kind == kind]) for kind in order
            if any(t.kind == kind for t in takeaways)]


def html(context: dict, for_pdf: bool = False, toolbar: str = "") -> str:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    css = ""
    if for_pdf:  # WeasyPrint gets the stylesheet inline: no request back to this site
        with open(finders.find("insights/dossier.css"), encoding="utf-8") as handle:
            css = handle.read()
    return render_to_string("insights/dossier.html", {
        **context, "for_pdf": for_pdf, "css": css, "toolbar": toolbar,
        "SITE_URL": settings.SITE_URL})


def pdf(context: dict) -> bytes:
    """WeasyPrint lays the same HTML out on A4 pages with Debian's fonts (DejaVu, Liberation)."""
    from weasyprint import HTML

    return HTML(string=html(context, for_pdf=True), base_url=absolute_url("/")).write_pdf()


def safe_cell(value) -> str:
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def takeaways_csv(context: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["talk", "date", "kind", "topic", "speaker", "takeaway", "talk_url",
                     "recording_url"])
    for t in context["takeaways"]:
        writer.writerow([safe_cell(t.talk.title), t.talk.local_start.date().isoformat(), t.kind,
                         safe_cell(t.topic.name if t.topic else ""),
                         safe_cell(t.person.name if t.person else ""), safe_cell(t.text),
                         t.talk_url, t.recording_url])
    return out.getvalue()


def recap_abstract(context: dict) -> str:
    """Markdown for the page of a recap talk: the numbers and the takeaways by topic."""
    stats = context["stats"]
    lines = [_("Recap of %(period)s: %(talks)s talks, %(speakers)s speakers from %(orgs)s "
               "organisations in %(countries)s countries.") % {
        "period": context["period"].label, "talks": stats.talks, "speakers": stats.speakers,
        "orgs": stats.organisations, "countries": stats.countries}, ""]
    for topic, items in context["by_topic"]:
        lines += [f"## {topic}", ""]
        lines += [f"- {t.text} ([{t.talk.title}]({t.talk_url}))" for t in items[:8]]
        lines.append("")
    return "\n".join(lines)


def create_recap_talk(context: dict):
    """A draft talk in the series, at its next free slot, with the dossier as its abstract."""
    from clustertalks.talks.models import Talk
    from clustertalks.talks.services import next_free_slot

    series = context["series"]
    start, end = next_free_slot(series)
    return Talk.objects.create(
        series=series, status=Talk.Status.DRAFT, start=start, end=end,
        title=_("Recap on key policies and takeaways: %(period)s") % {
            "period": context["period"].label},
        abstract=recap_abstract(context))
