"""Every figure on the statistics page against a count made here, independently, in Python."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse
from django_countries import countries

from clustertalks.insights import charts
from clustertalks.people.models import Organisation, Participation
from clustertalks.talks.models import Talk

SPEAKING = {"keynote", "speaker", "panellist", "moderator"}


def expected(archive, series=None, start=None, end=None):
    """The figures, counted from the fixture lists without the ORM's help."""
    talks = [t for t in archive["talks"] if t.status == "published" and t.end < archive["now"]
             and (series is None or t.series_id == series.pk)
             and (start is None or t.start.date() >= start) and (end is None or t.start.date() <= end)]
    ids = {t.pk for t in talks}
    published = {t.pk for t in talks if t.summary.materials_published_at}
    parts = [p for p in archive["parts"] if p.talk_id in ids and p.role in SPEAKING]
    people = {p.person_id for p in parts}
    orgs = {p.organisation_id for p in parts if p.organisation_id}
    org_by_id = {o.pk: o for o in Organisation.objects.all()}
    kinds = dict(Organisation.Kind.choices)
    by_kind = Counter()
    for kind in {(org_by_id[p.organisation_id].kind, p.person_id) for p in parts if p.organisation_id}:
        by_kind[str(kinds[kind[0]])] += 1
    gender_of = {p.person_id: p.person.gender for p in parts}
    by_country = Counter()
    for code, _person in {(org_by_id[p.organisation_id].country.code, p.person_id) for p in parts
                          if p.organisation_id and org_by_id[p.organisation_id].country}:
        by_country[dict(countries)[code]] += 1
    registrations = [r for r in archive["registrations"] if r.talk_id in ids and r.status != "cancelled"]
    seconds = sum(r.duration_seconds for r in archive["recordings"] if r.talk_id in published)
    takeaways = Counter(t.kind for t in archive["takeaways"] if t.talk_id in published)
    return {
        "Talks held": len(talks),
        "Hours of talks": round(sum((t.end - t.start).total_seconds() for t in talks) / 3600, 1),
        "Speakers": len(people), "Organisations": len(orgs),
        "Countries": len({org_by_id[o].country.code for o in orgs if org_by_id[o].country}),
        "Registrations": len(registrations),
        "Attended": sum(r.attended for r in registrations),
        "Hours of recordings": round(seconds / 3600, 1),
        "Key takeaways": sum(takeaways.values()),
        "by_kind": dict(by_kind), "takeaways": takeaways,
        "gender": Counter(gender_of.values()), "countries": dict(by_country),
        "years": Counter(t.start.year for t in talks),
    }


def table(figures, key):
    return {row[0]: row[1] for row in next(f for f in figures if f["id"] == key)["rows"]}


def check_page(response, want):
    assert response.status_code == 200
    html = response.content.decode()
    headline = dict(response.context["headline"])
    for label in ["Talks held", "Hours of talks", "Speakers", "Organisations", "Countries",
                  "Registrations", "Attended", "Hours of recordings", "Key takeaways"]:
        assert headline[label] == want[label], label
        assert f"<strong>{want[label]}</strong> {label}" in html, label
    figures = response.context["figures"]
    assert table(figures, "speakers-by-kind") == want["by_kind"]
    genders = table(figures, "speakers-by-gender")
    assert (genders["Woman"], genders["Man"], genders["Not recorded"]) == (
        want["gender"]["woman"], want["gender"]["man"], want["gender"][""])
    takeaways = table(figures, "takeaways-by-kind")
    from clustertalks.materials.models import Takeaway
    assert takeaways == {str(label): want["takeaways"][kind] for kind, label in Takeaway.Kind.choices}
    if want["countries"]:
        assert table(figures, "countries") == want["countries"]
    assert {int(y): n for y, n in table(figures, "talks-per-year").items()} == dict(want["years"])
    # every chart is an accessible SVG with a table beside it
    assert html.count('role="img"') == len(figures) == html.count("<table")
    return html


def test_the_series_page_figures_match_an_independent_count(client, archive):
    series = archive["series"]
    want = expected(archive, series)
    assert want["Talks held"] == 12 and want["Key takeaways"] > 0  # the fixture is meaningful
    check_page(client.get(reverse("insights:series_statistics", args=[series.slug])), want)


def test_the_overall_page_counts_every_series(client, archive):
    want = expected(archive)
    assert want["Talks held"] == 13
    check_page(client.get(reverse("insights:statistics")), want)


@pytest.mark.parametrize("query, start, end", [
    ("year=2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    ("from=2023-06-01&to=2024-03-31", dt.date(2023, 6, 1), dt.date(2024, 3, 31)),
    ("from=2024-01-01", dt.date(2024, 1, 1), None),
])
def test_a_chosen_period_counts_only_its_talks(client, archive, query, start, end):
    series = archive["series"]
    want = expected(archive, series, start, end)
    assert 0 < want["Talks held"] < 12
    url = reverse("insights:series_statistics", args=[series.slug]) + "?" + query
    check_page(client.get(url), want)


def test_topics_over_time_per_year(client, archive):
    response = client.get(reverse("insights:statistics"))
    figure = next(f for f in response.context["figures"] if f["id"] == "topics-over-time")
    talks = [t for t in archive["talks"] if t.status == "published" and t.end < archive["now"]]
    years = sorted({t.start.year for t in talks})
    assert figure["columns"][1:] == [str(y) for y in years]
    for name, *values in figure["rows"]:
        assert values == [sum(1 for t in talks if t.start.year == y
                              and name in {x.name for x in t.topics.all()}) for y in years]


@pytest.mark.parametrize("query", ["year=abc", "year=99999", "from=2024-13-45", "to=x",
                                   "from=2024-02-01&to=2023-01-01", "year=" + "9" * 500,
                                   "from=%00"])
def test_a_bad_period_is_a_clear_400_never_a_500(client, archive, query):
    response = client.get(reverse("insights:statistics") + "?" + query)
    assert response.status_code == 400


def test_the_page_is_public_cached_and_linked_from_the_series_and_footer(client, archive):
    series = archive["series"]
    response = client.get(reverse("insights:series_statistics", args=[series.slug]))
    assert "public" in response["Cache-Control"]
    assert "<script" not in response.content.decode().split("<main", 1)[1]
    assert reverse("insights:statistics") in client.get("/").content.decode()
    assert client.get(reverse("insights:series_statistics", args=["nope"])).status_code == 404


def test_charts_escape_labels_and_carry_title_and_desc():
    svg = charts.bar_chart("A <b>", "D & d", [("<script>x</script>", 3), ("B", 0)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="(\S+) (\S+)"', svg)
    assert "<title" in svg and "<desc" in svg
    line = charts.line_chart("T", "D", [2023, 2024], [("<i>", [1, 2])])
    assert "<i>" not in line and "polyline" in line
    empty = charts.line_chart("T", "D", [2023], [("x", [0])])
    assert "nan" not in empty.lower()


def _bulk_archive(series, count):
    """`count` held talks, each with two speakers: made fast with bulk_create."""
    from clustertalks.people.models import Person

    org = Organisation.objects.create(name="Org", kind="eu", country="BE")
    people = Person.objects.bulk_create([Person(name=f"P{i}", slug=f"p-{count}-{i}")
                                         for i in range(20)])
    base = dt.datetime(2010, 1, 6, 7, 30, tzinfo=dt.UTC)
    talks = Talk.objects.bulk_create([
        Talk(series=series, title=f"T{i}", slug=f"t-{count}-{i}", status="published",
             start=base + dt.timedelta(days=i), end=base + dt.timedelta(days=i, hours=1))
        for i in range(count)])
    Participation.objects.bulk_create([
        Participation(talk=t, person=people[(i + k) % 20], organisation=org, role="speaker")
        for i, t in enumerate(talks) for k in range(2)])


@pytest.mark.parametrize("count", [50, 5000])
def test_the_page_runs_a_fixed_number_of_queries(client, series, count_queries, count):
    _bulk_archive(series, count)
    url = reverse("insights:series_statistics", args=[series.slug])
    queries = count_queries(client.get, url)
    assert queries == FIXED_QUERIES, f"{queries} queries with {count} talks"


FIXED_QUERIES = 11
