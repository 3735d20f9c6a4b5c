"""Accessibility beyond axe (issue 11): what an EN 301 549 audit checks and axe does not.

For every public page type: screenshots at 1280 and 390 px in light and dark mode (kept in
var/screenshots/, or CLUSTERTALKS_SCREENSHOTS), reflow at 320 px (no sideways scrolling, no
element wider than the screen), every aria-describedby / aria-labelledby / aria-controls id
resolves, and axe finds nothing; on the form pages, a failed submit moves the focus to an error
summary and the title starts with "Error:"; placeholders and focus rings keep their contrast in
both colour schemes; the transcript's focus ring is not clipped; the "Your time" line carries
the visitor's locale as its lang.

One browser and one page per viewport and scheme serve the whole module; the site is rebuilt
for each test (pytest-django empties the database after each live-server test).
"""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from .conftest import MOBILE, describe_violations, run_axe

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("CLUSTERTALKS_SCREENSHOTS") or ROOT / "var" / "screenshots")
NARROW = {"width": 320, "height": 640}
BRUSSELS_VISITOR_ZONE = "America/New_York"  # a visitor elsewhere, so "Your time" shows too

# ------------------------------------------------------------------ the site, once per module


@pytest.fixture
def module_site(site):
    """The conftest's realistic site plus the pages it lacks (recording, forms, attendee's
    pages, newsletter, statistics, API docs, sign-in). pytest-django empties the database
    after every live-server test, so it is built for each test; the browser pages are kept."""
    from django.core.cache import cache

    from clustertalks.newsletter import services as newsletter
    from clustertalks.newsletter.models import Subscriber
    from clustertalks.registrations import services as registrations

    talk = site.talks["past"]
    recording = _recording_with_transcript(talk)
    upcoming = site.talks["upcoming"]
    registration, _new = registrations.register(upcoming, registrations.Attendee(
        "Ada Lovelace", "ada@example.org", "Analytical Cluster", "cluster", "BE", "Manager",
        time_zone="America/New_York"))
    newsletter.subscribe("bob@example.org", name="Bob")
    subscriber = Subscriber.objects.get(email="bob@example.org")
    signed = registrations.manage_token(registration)
    site.urls.update({
        "recording": reverse("materials:recording", args=[talk.slug, recording.pk]),
        "search": reverse("search:search") + "?q=skills",
        "register": reverse("registrations:register", args=[upcoming.slug]),
        "registered": reverse("registrations:registered", args=[upcoming.slug]),
        "manage": reverse("registrations:manage", args=[signed]),
        "details": reverse("registrations:details", args=[signed]),
        "join": reverse("registrations:join", args=[registration.token]),
        "newsletter": reverse("newsletter:signup"),
        "newsletter_preferences": reverse("newsletter:preferences", args=[subscriber.token]),
        "newsletter_archive": reverse("newsletter:archive"),
        "statistics": reverse("insights:statistics"),
        "series_statistics": reverse("insights:series_statistics", args=[upcoming.series.slug]),
        "api_docs": reverse("api:docs"),
        "sign_in": reverse("admin:login"),
    })
    cache.clear()
    return site


def _recording_with_transcript(talk):
    from django.utils import timezone

    from clustertalks.materials import services
    from clustertalks.materials.models import Recording, TalkSummary

    recording = Recording.objects.create(talk=talk, source="youtube",
                                         url="https://www.youtube.com/watch?v=SAMPLEabcde")
    cues = tuple(services.Cue(n * 4000, n * 4000 + 3500, f"We talked about skills, part {n}.",
                              "Anna Kovács" if n % 2 else "") for n in range(30))
    services.replace_transcript(recording, services.ParsedTranscript("vtt", cues))
    TalkSummary.objects.create(talk=talk, text="A **short** summary.",
                               materials_published_at=timezone.now())
    return recording


PAGES = [
    "home", "series", "archive", "archive_page_2", "archive_filtered", "talk_upcoming",
    "talk_past", "talk_cancelled", "recording", "topics", "topic", "people", "person",
    "organisations", "organisation", "search", "register", "registered", "manage", "details",
    "join", "newsletter", "newsletter_preferences", "newsletter_archive", "statistics",
    "series_statistics", "api_docs", "accessibility", "privacy", "not_found", "sign_in",
]
STATUS = {"not_found": 404}


@pytest.fixture(scope="module")
def pages(browser):
    """One page per viewport and colour scheme, for the whole module."""
    contexts = {}

    def page_for(viewport, scheme, **options):
        key = (viewport["width"], scheme, tuple(sorted(options.items())))
        if key not in contexts:
            settings = {"locale": "en-GB", "timezone_id": BRUSSELS_VISITOR_ZONE, **options}
            context = browser.new_context(viewport=viewport, color_scheme=scheme, **settings)
            context.set_default_timeout(15_000)
            contexts[key] = (context, context.new_page())
        return contexts[key][1]

    yield page_for
    for context, _page in contexts.values():
        context.close()


def visit(page, url, name):
    response = page.goto(url)
    expected = STATUS.get(name, 200)
    assert response is not None and response.status == expected, f"{name}: {url} answered {response.status}"
    page.wait_for_load_state("load")


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


# ------------------------------------------------------------------ in-page probes

BROKEN_REFERENCES = """() => {
  const broken = [];
  for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls", "aria-owns", "for", "list"]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      if (attr === "for" && el.tagName !== "LABEL" && el.tagName !== "OUTPUT") continue;
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) broken.push(`${el.tagName.toLowerCase()}[${attr}=${id}]`);
      }
    }
  }
  return broken;
}"""

# Elements whose right edge passes the screen's (ignoring what is visually hidden or inside a
# scroll box that is meant to scroll), and the page's own sideways overflow.
REFLOW = """(skip) => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (p === document.body || p === document.documentElement) return false;
      const s = getComputedStyle(p);
      if (/(auto|scroll|hidden)/.test(s.overflowX) && p !== document.body && p !== document.documentElement) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("body *")) {
    if (skip && el.closest(skip)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      if (el.closest(".visually-hidden, .skip-link, [aria-hidden=true], .registration-form__trap")) continue;
      if (scrolls(el)) continue;
      const label = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      wide.push(`${label} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  // Text that runs past its box (a long word) widens the page without any box doing so.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || (skip && el.closest(skip)) || scrolls(node)) continue;
    if (el.closest(".visually-hidden, .skip-link, [aria-hidden=true], .registration-form__trap, [hidden]")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) wide.push(`text "${node.textContent.trim().slice(0, 40)}" [${Math.round(box.left)}, ${Math.round(box.right)}]`);
  }
  return {overflow: document.documentElement.scrollWidth - width, wide: wide.slice(0, 8)};
}"""

COLOURS = """
function rgba(text) {
  const m = text.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
}
function over(top, bottom) {
  const a = top.a;
  return {r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1};
}
function background(el) {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
  }
  let colour = matchMedia("(prefers-color-scheme: dark)").matches ? {r: 18, g: 22, b: 28, a: 1} : {r: 255, g: 255, b: 255, a: 1};
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
}
function luminance(c) {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}
function ratio(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
"""

PLACEHOLDERS = "() => {" + COLOURS + """
  return [...document.querySelectorAll("input[placeholder], textarea[placeholder]")]
    .filter((el) => el.getBoundingClientRect().width > 0)
    .map((el) => {
      const bg = background(el);
      const colour = over(rgba(getComputedStyle(el, "::placeholder").color), bg);
      return {id: el.id || el.name, ratio: Math.round(ratio(colour, bg) * 100) / 100};
    });
}"""

FOCUS_RING = "() => {" + COLOURS + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const label = el.tagName.toLowerCase() + " " + (el.innerText || el.value || el.id || "").trim().slice(0, 40);
  if (s.outlineStyle === "none" || parseFloat(s.outlineWidth) === 0) return {label, ratio: 0, hasRing: false};
  // The ring sits outside the element (outline-offset), over its parent's background.
  const bg = background(el.parentElement || el);
  const ring = over(rgba(s.outlineColor), bg);
  return {label, ratio: Math.round(ratio(ring, bg) * 100) / 100, hasRing: true};
}"""


# ------------------------------------------------------------------ every page type


# axe takes most of this module's time (about 0.8 s a page): it runs on every page type in light
# mode on the desktop, and in dark mode on a phone for the pages test_accessibility.py never
# checks in dark mode and whose components differ most (forms, player, charts, tables).
DARK_AXE_PAGES = {"recording", "search", "register", "manage", "details", "newsletter",
                  "statistics", "api_docs", "sign_in"}


def test_every_page_type_is_photographed_and_passes_axe(module_site, pages):
    """Screenshots at 1280 and 390 px, light and dark; axe (WCAG 2.1 A/AA and structure) with
    zero violations; every id an ARIA attribute or a label names exists."""
    problems = []
    for name in PAGES:
        for viewport in ({"width": 1280, "height": 900}, MOBILE):
            page = pages(viewport, "light")
            visit(page, module_site[name], name)
            width = viewport["width"]
            # Both schemes from one load: emulate_media switches prefers-color-scheme in place.
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                shoot(page, f"{name}-{width}-{scheme}")
                if width == 1280 and scheme == "light":
                    broken = page.evaluate(BROKEN_REFERENCES)
                    if broken:
                        problems.append(f"{name}: references to no element: {broken}")
                if (width == 1280 and scheme == "light") or (
                        width != 1280 and scheme == "dark" and name in DARK_AXE_PAGES):
                    violations = run_axe(page)
                    if violations:
                        problems.append(f"{name} ({scheme}, {width} px): " + describe_violations(violations))
            page.emulate_media(color_scheme="light")
    assert not problems, "\n".join(problems)
    assert len(list(SHOTS.glob("*.png"))) >= 4 * len(PAGES)


def test_no_page_needs_sideways_scrolling_at_320_px(module_site, pages):
    """WCAG 1.4.10: at 320 CSS px nothing sticks out, the header included. The colour scheme
    changes no size, so light mode stands for both."""
    problems = []
    for scheme in ("light",):
        page = pages(NARROW, scheme)
        for name in PAGES:
            visit(page, module_site[name], name)
            found = page.evaluate(REFLOW, "")
            if found["overflow"] > 0 or found["wide"]:
                problems.append(f"{name}: {found['overflow']} px too wide; {found['wide']}")
    assert not problems, "\n".join(problems)


def test_api_docs_table_headers_never_break_inside_a_word(module_site, pages):
    for viewport in (MOBILE, NARROW):
        page = pages(viewport, "light")
        visit(page, module_site["api_docs"], "api_docs")
        broken = page.evaluate("""() => [...document.querySelectorAll('.api-docs th')]
          .filter((th) => th.getBoundingClientRect().width > 0)
          .filter((th) => { const r = document.createRange(); r.selectNodeContents(th);
                            return r.getClientRects().length > th.innerText.trim().split(/\\s+/).length; })
          .map((th) => th.innerText)""")
        assert not broken, f"headers broken mid-word at {viewport['width']} px: {broken[:5]}"
        regions = page.locator(".api-docs .table-scroll")
        assert regions.count() > 0
        first = regions.first
        assert first.get_attribute("tabindex") == "0" and first.get_attribute("role") == "region"
        label_ids = first.get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{label_id}").count() == 1 for label_id in label_ids)


# ------------------------------------------------------------------ forms


FAILING_SUBMITS = [
    ("register", "Register", {}),
    ("newsletter", "Subscribe", {"#id_email": "not an address"}),
    ("details", "Save my details", {"#id_name": ""}),
]


def test_a_failed_submit_focuses_the_error_summary_and_says_error_in_the_title(module_site, pages):
    page = pages({"width": 1280, "height": 900}, "light")
    for form, submit, fields in FAILING_SUBMITS:
        visit(page, module_site[form], form)
        for selector, value in fields.items():
            page.fill(selector, value)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name=submit).click()
        page.wait_for_load_state("load")
        assert page.title().startswith("Error:"), (form, page.title())
        focused = page.evaluate("document.activeElement.id")
        assert focused == "error-summary", (form, focused)
        links = page.locator("#error-summary a")
        assert links.count() >= 1, form
        # Each link leads to a field that is marked invalid and described by its message.
        for href in links.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))"):
            target = page.locator(href)
            assert target.count() == 1, (form, href)
            if target.get_attribute("type") != "radio":
                assert target.get_attribute("aria-invalid") == "true", (form, href)
                described = (target.get_attribute("aria-describedby") or "").split()
                assert any(ref.endswith("_error") and page.locator(f"#{ref}").count() == 1
                           for ref in described), (form, href, described)
        assert not page.evaluate(BROKEN_REFERENCES), form
        # Following a link moves the focus to the field.
        links.first.press("Enter")
        assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true", form
        violations = run_axe(page)
        assert not violations, form + "\n" + describe_violations(violations)


# ------------------------------------------------------------------ colours


def test_placeholders_and_focus_rings_keep_their_contrast(module_site, pages):
    problems = []
    for scheme, name in [(scheme, name) for scheme in ("light", "dark") for name in
                         ("home", "recording", "register", "search", "newsletter", "api_docs")]:
        page = pages({"width": 1280, "height": 900}, scheme)
        visit(page, module_site[name], name)
        if name == "recording":
            page.locator("details.transcript").evaluate("(d) => { d.open = true; }")
        for placeholder in page.evaluate(PLACEHOLDERS):
            if placeholder["ratio"] < 4.5:
                problems.append(f"{name} ({scheme}): placeholder of {placeholder['id']} is "
                                f"{placeholder['ratio']}:1")
        page.locator("body").evaluate("(b) => b.focus()")
        seen = set()
        for _ in range(25):
            page.keyboard.press("Tab")
            ring = page.evaluate(FOCUS_RING)
            if ring is None or ring["label"] in seen:
                continue
            seen.add(ring["label"])
            if not ring["hasRing"]:
                continue  # a missing ring is test_accessibility's business (box shadows too)
            if ring["ratio"] < 3:
                problems.append(f"{name} ({scheme}): focus ring on {ring['label']!r} is {ring['ratio']}:1")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ details


def test_the_transcripts_focus_ring_is_not_clipped_by_its_scroll_box(module_site, pages):
    page = pages({"width": 1280, "height": 900}, "light")
    visit(page, module_site["recording"], "recording")
    page.locator("details.transcript").evaluate("(d) => { d.open = true; }")
    link = page.locator(".transcript__lines a").nth(1)
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible draws the ring
    clipped = page.evaluate("""() => {
      const link = document.activeElement, list = link.closest('.transcript__lines');
      const s = getComputedStyle(link);
      const ring = parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset);
      const a = link.getBoundingClientRect(), b = list.getBoundingClientRect();
      return {left: b.left + list.clientLeft - (a.left - ring), ring};
    }""")
    assert clipped["ring"] > 0
    assert clipped["left"] <= 0, f"{clipped['left']} px of the focus ring are cut off on the left"


def test_your_time_carries_the_visitors_locale_as_its_lang(module_site, pages):
    # A Norwegian browser: no EU language, so the page stays English and the time is Norwegian.
    page = pages({"width": 1280, "height": 900}, "light", locale="nb-NO")
    visit(page, module_site["talk_past"], "talk_past")
    when = page.locator("main .facts .visitor-time span[lang]")
    when.wait_for(state="visible")
    assert when.get_attribute("lang").lower().startswith("nb"), when.get_attribute("lang")
    assert re.search(r"onsdag|oktober", when.inner_text()), when.inner_text()
    assert page.locator("main .facts .visitor-time").inner_text().startswith("Your time:")


def test_listing_titles_are_unique(module_site, pages):
    page = pages({"width": 1280, "height": 900}, "light")
    titles = {}
    for name in ("archive", "archive_page_2", "archive_filtered", "topic", "people", "organisations"):
        visit(page, module_site[name], name)
        titles[name] = page.title()
    assert len(set(titles.values())) == len(titles), titles
    assert titles["archive_page_2"].startswith("Talks – page 2"), titles
