"""Statistics turned into what a page shows: headline figures and charts with their tables."""

from django.utils.translation import gettext as _

from . import charts
from .statistics import Statistics, gender_rows


def headline(stats: Statistics) -> list[tuple[str, object]]:
    return [
        (_("Talks held"), stats.talks),
        (_("Hours of talks"), stats.hours),
        (_("Speakers"), stats.speakers),
        (_("Organisations"), stats.organisations),
        (_("Countries"), stats.countries),
        (_("Registrations"), stats.registrations),
        (_("Attended"), stats.attended),
        (_("Hours of recordings"), stats.recording_hours),
        (_("Key takeaways"), sum(n for _k, n in stats.takeaways)),
    ]


def figures(stats: Statistics) -> list[dict]:
    """Each chart with its table: {"id", "title", "svg", "columns", "rows"}."""
    out = []

    def add(key, title, columns, rows, svg):
        out.append({"id": key, "title": title, "columns": columns, "rows": rows, "svg": svg})

    if stats.talks_per_year:
        rows = [(str(y), n) for y, n in stats.talks_per_year]
        add("talks-per-year", _("Talks per year"), [_("Year"), _("Talks")], rows,
            charts.bar_chart(_("Talks per year"), _("Number of talks held each year."), rows))
    topics = stats.topics_over_time
    if topics["series"]:
        add("topics-over-time", _("Topics over time"),
            [_("Topic"), *[str(y) for y in topics["years"]]],
            [(name, *values) for name, values in topics["series"]],
            charts.line_chart(_("Topics over time"),
                              _("Talks per year for the most frequent topics."),
                              topics["years"], topics["series"]))
    if stats.by_kind:
        add("speakers-by-kind", _("Speakers by kind of organisation"),
            [_("Kind of organisation"), _("Speakers")], stats.by_kind,
            charts.bar_chart(_("Speakers by kind of organisation"),
                             _("Distinct speakers per kind of organisation they spoke for."),
                             stats.by_kind))
    genders = gender_rows(stats)
    add("speakers-by-gender", _("Women and men among speakers"), [_("Gender"), _("Speakers")],
        genders, charts.bar_chart(_("Women and men among speakers"),
                                  _("Distinct speakers by gender, where recorded."), genders))
    add("takeaways-by-kind", _("Key takeaways by kind"), [_("Kind"), _("Takeaways")],
        stats.takeaways, charts.bar_chart(_("Key takeaways by kind"),
                                          _("Published key takeaways per kind."), stats.takeaways))
    if stats.country_list:
        top = stats.country_list[:15]
        add("countries", _("Countries"), [_("Country"), _("Speakers")], stats.country_list,
            charts.bar_chart(_("Speakers by country"),
                             _("Distinct speakers per country of their organisation (top 15)."),
                             top))
    return out
