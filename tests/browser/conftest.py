"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked ``browser`` (deselect with ``-m "not browser"``) and is
skipped, with a reason, when /usr/bin/chromium or Playwright is missing.

One Playwright and one browser serve the whole folder (package scope), and one page per set of
context options is reused from test to test, with the HTTP cache off and cookies cleared.
"""

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
# axe-core rule tags for WCAG 2.1 levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# And a few of axe's "best-practice" rules about page structure, which screen-reader users
# navigate by: one h1, no skipped heading levels, everything inside a landmark.
STRUCTURE_RULES = ["heading-order", "page-has-heading-one", "landmark-one-main", "region",
                   "landmark-unique", "skip-link"]
# Set to a folder to keep a screenshot of every page the accessibility tests check.
SHOTS_DIR = os.environ.get("CLUSTERTALKS_SCREENSHOTS", "")


def pytest_collection_modifyitems(config, items):
    # Conftest hooks see every collected item: mark only the ones in this folder.
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_next_to_playwright():
    """Playwright's sync API marks an asyncio loop as running in the main thread, and
    Django then refuses ORM calls (SynchronousOnlyOperation). Nothing here is really
    async, so allow them, for this folder only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_allow_orm_next_to_playwright):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="package")
def _page_pool(browser):
    """One open page per set of context options, reused from test to test: starting a
    renderer costs about half a second on a small machine, far more than a navigation."""
    pool = {}
    yield pool
    for context, _page, _cdp in pool.values():
        context.close()


@pytest.fixture
def new_page(_page_pool, browser):
    """A page for this test: ``new_page(color_scheme="dark", viewport=MOBILE)`` takes
    Playwright's context options. Defaults: a desktop viewport, British English, a light
    colour scheme and a visitor in Brussels. Pages are reused across tests with the same
    options, with the HTTP cache off and cookies cleared, so no test sees another's pages."""
    used = []

    def open_page(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        options.setdefault("timezone_id", "Europe/Brussels")
        options.setdefault("color_scheme", "light")
        key = repr(sorted(options.items()))
        if key in _page_pool and _page_pool[key][1].is_closed():
            _page_pool.pop(key)[0].close()
        if key not in _page_pool:
            context = browser.new_context(**options)
            context.set_default_timeout(10_000)
            page = context.new_page()
            # Public pages say "Cache-Control: public, max-age=300": without this, a page
            # from an earlier test (and its database) could be served from the cache.
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            _page_pool[key] = (context, page, cdp)
        context, page, _cdp = _page_pool[key]
        context.clear_cookies()
        used.append(page)
        return page

    yield open_page
    for page in used:
        if not page.is_closed():
            page.goto("about:blank")


@pytest.fixture
def page(new_page):
    return new_page()


def run_axe(page, *, structure: bool = True) -> list[dict]:
    """Run axe-core's WCAG 2.1 A and AA rules (and, unless told not to, the structure rules)
    on the page and return the violations."""
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            # Rules named here run on top of the tags (axe's ruleShouldRun).
            "rules": {rule: {"enabled": structure} for rule in STRUCTURE_RULES},
            "resultTypes": ["violations"],
        },
    )
    return results.response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def save_screenshot(page, name: str) -> None:
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS_DIR) / f"{name}.png"), full_page=True)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@dataclass
class Site:
    """The live server's address and one URL for every public page type."""

    base: str
    urls: dict[str, str] = field(default_factory=dict)
    talks: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.base + self.urls[name]


PAGE_TYPES = [
    "home",
    "series",
    "talk_upcoming",
    "talk_past",
    "talk_cancelled",
    "talk_sample",
    "archive",
    "archive_filtered",
    "archive_page_2",
    "person",
    "people",
    "organisation",
    "organisations",
    "topics",
    "topic",
    "privacy",
    "accessibility",
    "not_found",
]


@pytest.fixture
def site(live_server, transactional_db):
    """Realistic content on the live server; returns a `Site` with every public page type."""
    return build_site(live_server)


def build_site(live_server) -> Site:
    """The `site` fixture's content, for a module that builds it once (test_beyond_axe.py)."""
    from django.urls import reverse

    from clustertalks.people.models import Organisation, Participation, Person
    from clustertalks.talks.models import AgendaItem, Audience, EventType, Series, Talk, Topic

    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    Kind, Role = Organisation.Kind, Participation.Role

    commission = Organisation.objects.create(
        name="European Commission", acronym="EC", kind=Kind.EU_BODY, country="BE",
        website="https://commission.europa.eu/",
        description="The executive of the **European Union**.",
    )
    dg_grow = Organisation.objects.create(
        name="Directorate-General for Internal Market, Industry, Entrepreneurship and SMEs",
        acronym="DG GROW", kind=Kind.EU_BODY, country="BE", parent=commission,
    )
    network = Organisation.objects.create(
        name="European Cluster Collaboration Platform", acronym="ECCP", kind=Kind.CLUSTER_NETWORK,
    )
    cluster = Organisation.objects.create(name="Clust-ER Innovate", kind=Kind.CLUSTER, country="IT")
    university = Organisation.objects.create(
        name="Universidad de Deusto", kind=Kind.RESEARCH, country="ES"
    )

    series = Series.objects.create(
        name="EU Clusters Talks", time_zone="Europe/Brussels",
        tagline="Cluster policy, one hour every other Wednesday",
        description="Talks for cluster managers and policy makers across Europe.",
        boilerplate="The EU Clusters Talks are free and open to everybody. "
                    "[Subscribe to the calendar](/talks/).",
        organiser=network, on_behalf_of=dg_grow,
    )
    skills = Topic.objects.create(name="Skills", description="Talent, training and the *Pact for Skills*.")
    green = Topic.objects.create(name="Green transition")
    digital = Topic.objects.create(name="Digitalisation")
    webinar = EventType.objects.create(name="Webinar")
    managers = Audience.objects.create(name="Cluster managers")
    policy = Audience.objects.create(name="Policy makers")

    def person(name, position, organisation, *honours, **fields):
        someone = Person.objects.create(
            name=name, current_position=position, current_organisation=organisation,
            bio=f"{name} has worked with clusters for many years.", **fields,
        )
        for title, year in honours:
            someone.honours.create(title=title, year=year)
        return someone

    anna = person("Anna Kovács", "Head of Unit", dg_grow, ("Cluster Policy Award", 2019))
    anna.links.create(label="LinkedIn", url="https://www.linkedin.com/in/example")
    marco = person("Marco Rossi", "Cluster Manager", cluster,
                   ("European Cluster Manager of the Year", 2021))
    lucia = person("Lucía Fernández", "Professor of Innovation Policy", university)
    jan = person("Jan de Vries", "Policy Officer", dg_grow)

    def talk(title, start, *, minutes=60, status=Talk.Status.PUBLISHED, topics=(), **fields):
        made = Talk.objects.create(
            series=series, title=title, start=start, end=start + dt.timedelta(minutes=minutes),
            status=status, event_type=webinar, **fields,
        )
        made.topics.add(*topics)
        made.audiences.add(managers, policy)
        return made

    def agenda(made, *items):
        for order, (title, kind, starts, ends, people) in enumerate(items, start=1):
            item = AgendaItem.objects.create(
                talk=made, order=order, title=title, kind=kind,
                starts_at=dt.time(*starts), ends_at=dt.time(*ends),
                description="Short introduction, then questions from the audience.",
            )
            for place, (who, role, organisation) in enumerate(people):
                Participation.objects.create(
                    talk=made, person=who, agenda_item=item, role=role, order=place,
                    position=who.current_position, organisation=organisation,
                )

    upcoming_start = (now + dt.timedelta(days=10)).replace(hour=6, minute=30)
    upcoming = talk(
        "Skills for the twin transition", upcoming_start, topics=[skills, green],
        abstract="How clusters **train** people for the green and digital transition.\n\n"
                 "- What works\n- What does not\n\nRead [the Pact for Skills](https://example.org/pact).",
        livestream_url="https://www.example.org/live",
    )
    agenda(
        upcoming,
        ("Welcome", "welcome", (8, 30), (8, 35), [(jan, Role.HOST, dg_grow)]),
        ("Keynote: skills in clusters", "keynote", (8, 35), (9, 0), [(anna, Role.KEYNOTE, dg_grow)]),
        ("Panel discussion", "panel", (9, 0), (9, 30),
         [(marco, Role.PANELLIST, cluster), (lucia, Role.PANELLIST, university),
          (jan, Role.MODERATOR, dg_grow)]),
    )
    later = talk("Clusters and the Single Market", upcoming_start + dt.timedelta(weeks=2),
                 topics=[digital])
    Participation.objects.create(talk=later, person=lucia, position="Professor", organisation=university)

    past = talk(
        "Results and visions", utc(2022, 10, 5, 6, 30), topics=[skills],
        abstract="A look back at ten years of cluster policy, and ahead at the next ten.",
    )
    agenda(
        past,
        ("Keynote", "keynote", (8, 30), (9, 0), [(anna, Role.KEYNOTE, dg_grow)]),
        ("Panel", "panel", (9, 0), (9, 30),
         [(marco, Role.PANELLIST, cluster), (lucia, Role.PANELLIST, university)]),
    )
    cancelled = talk(
        "Cluster internationalisation", upcoming_start + dt.timedelta(weeks=4),
        status=Talk.Status.CANCELLED, status_note="The speakers could not travel; a new date will follow.",
        topics=[green],
    )
    Participation.objects.create(talk=cancelled, person=marco, position="Cluster Manager",
                                 organisation=cluster)
    sample_person = Person.objects.create(name="Sam Sample", is_sample=True)
    sample = talk("A generated sample talk", utc(2023, 6, 7, 6, 30), is_sample=True, topics=[digital])
    Participation.objects.create(talk=sample, person=sample_person)
    # Enough held talks for a second archive page (20 talks a page).
    for n in range(21):
        talk(f"Cluster talk {n + 1}", utc(2023, 9, 6, 6, 30) + dt.timedelta(weeks=2 * n),
             topics=[(skills, green, digital)[n % 3]])
    Talk.objects.create(  # never public: must not show up anywhere
        series=series, title="Secret draft", start=upcoming_start, end=upcoming_start + dt.timedelta(hours=1),
    )

    urls = {
        "home": reverse("talks:home"),
        "series": series.get_absolute_url(),
        "talk_upcoming": upcoming.get_absolute_url(),
        "talk_past": past.get_absolute_url(),
        "talk_cancelled": cancelled.get_absolute_url(),
        "talk_sample": sample.get_absolute_url(),
        "archive": reverse("talks:archive"),
        "archive_filtered": reverse("talks:archive") + f"?topic={skills.slug}&year=2022&q=visions",
        "archive_page_2": reverse("talks:archive") + "?page=2",
        "person": anna.get_absolute_url(),
        "people": reverse("people:people"),
        "organisation": dg_grow.get_absolute_url(),
        "organisations": reverse("people:organisations"),
        "topics": reverse("talks:topics"),
        "topic": skills.get_absolute_url(),
        "privacy": reverse("core:privacy"),
        "accessibility": reverse("core:accessibility"),
        "not_found": "/no/such/page/",
    }
    assert set(urls) == set(PAGE_TYPES)
    return Site(
        base=live_server.url, urls=urls,
        talks={"upcoming": upcoming, "past": past, "cancelled": cancelled, "sample": sample},
    )
