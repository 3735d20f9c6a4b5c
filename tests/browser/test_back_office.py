"""The organiser's back office in the browser at 1280 px: the registrations list and the talk
form fit without horizontal scrolling, and publishing the next talk with one known and one new
speaker takes at most 15 clicks or fields (counted here, one by one)."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from .conftest import DESKTOP, save_screenshot


@pytest.fixture
def organiser_page(page, live_server, django_user_model):
    user = django_user_model.objects.create_superuser("organiser", "org@example.org", "pw-organiser-1")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def overflow(page) -> dict:
    """How far the page and its widest element reach past the viewport (0: it fits)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        let widest = null, right = 0;
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > right && getComputedStyle(el).visibility !== 'hidden') {
                right = box.right; widest = el.tagName + '.' + el.className + '#' + el.id;
            }
        }
        // Tables scroll inside their own box too (the change list's .results): that counts.
        let inner = 0;
        for (const el of document.querySelectorAll('.results, .tabular, .inline-group, fieldset, #content')) {
            inner = Math.max(inner, el.scrollWidth - el.clientWidth);
        }
        return {scroll: document.documentElement.scrollWidth - width, right: right - width, inner, widest};
    }""")


def column_visible(page, header_text) -> bool:
    return page.evaluate("""(text) => {
        const th = [...document.querySelectorAll('#result_list thead th')]
            .find(th => th.textContent.trim().toLowerCase() === text.toLowerCase());
        if (!th) return false;
        const box = th.getBoundingClientRect();
        return box.right <= document.documentElement.clientWidth && box.width > 0;
    }""", header_text)


def test_registrations_list_and_talk_form_fit_1280_px(organiser_page, site):
    from clustertalks.registrations.models import Registration

    page = organiser_page
    assert page.viewport_size == DESKTOP
    talk = site.talks["upcoming"]
    for n, country in enumerate(["BE", "IT", "ES", "FR", "DE", "PL"] * 4):
        Registration.objects.create(
            talk=talk, name=f"Attendee with a fairly long name {n}",
            email=f"firstname.lastname{n}@cluster-organisation.eu",
            organisation="Cluster organisation for innovation and skills", organisation_type="cluster",
            country=country, position="Project manager", consented_at=timezone.now(),
        )

    page.goto(site.base + "/admin/registrations/registration/")
    for header in ("Name", "Email", "Talk", "Status"):
        assert column_visible(page, header), header
    result = overflow(page)
    assert result["scroll"] <= 0 and result["inner"] <= 0, result
    # The country filter lists the six countries present (and "All"), not ~250.
    country_links = page.locator("#changelist-filter a[href*='country=']").count()
    assert country_links == 6, country_links
    height = page.evaluate("document.documentElement.scrollHeight")
    save_screenshot(page, "backoffice_registrations_1280")
    assert height < 3000, height

    page.goto(site.base + f"/admin/talks/talk/{talk.pk}/change/")
    result = overflow(page)
    save_screenshot(page, "backoffice_talk_form_1280")
    assert result["scroll"] <= 0 and result["inner"] <= 0 and result["right"] <= 1, result


class Counter:
    """Every click and every field typed into, counted as the organiser would feel them."""

    def __init__(self):
        self.clicks = 0
        self.fields = 0
        self.log = []

    def click(self, locator, what):
        locator.click()
        self.clicks += 1
        self.log.append(f"click: {what}")

    def fill(self, locator, value, what):
        locator.fill(value)
        self.fields += 1
        self.log.append(f"type: {what}")

    @property
    def total(self):
        return self.clicks + self.fields


def choose(counter, page, container, text, what):
    """A select2 choice: open it, type part of the name, pick the match (three steps)."""
    counter.click(container.locator(".select2-selection"), f"open {what}")
    counter.fill(page.locator(".select2-container--open .select2-search__field"), text, f"search {what}")
    option = page.locator(".select2-results__option", has_text=text).first
    option.wait_for()
    counter.click(option, f"pick {what}")


def test_publish_next_talk_with_a_known_and_a_new_speaker_in_at_most_15_steps(organiser_page, site):
    from clustertalks.talks.models import Talk

    from playwright.sync_api import expect

    page, steps = organiser_page, Counter()
    page.goto(site.base + "/admin/")
    counter_start = page.url

    steps.click(page.get_by_role("link", name="New talk in EU Clusters Talks"), "new talk in the series")
    page.wait_for_url("**/admin/talks/talk/add/**")
    steps.fill(page.locator("#id_title"), "Clusters and the circular economy", "title")

    # A known speaker: chosen, and their position and organisation fill themselves in.
    choose(steps, page, page.locator("#participations-0 .field-person"), "Anna", "known speaker")
    expect(page.locator("#id_participations-0-position")).to_have_value("Head of Unit")
    assert "DG GROW" in page.locator("#participations-0 .field-organisation").inner_text()

    # A new speaker: "+" asks name, position and organisation once; they fill the row.
    steps.click(page.locator("#participations-group .add-row a"), "add a speaker row")
    with page.expect_popup() as opened:
        steps.click(page.locator("#add_id_participations-1-person"), "+ new person")
    popup = opened.value
    popup.wait_for_load_state()
    steps.fill(popup.locator("#id_name"), "Nora Newcomer", "name")
    steps.fill(popup.locator("#id_current_position"), "Innovation Lead", "position")
    choose(steps, popup, popup.locator(".field-current_organisation"), "Clust-ER", "organisation")
    with popup.expect_event("close"):
        steps.click(popup.locator("input[name=_save]"), "save the new person")
    expect(page.locator("#id_participations-1-position")).to_have_value("Innovation Lead")
    assert "Clust-ER Innovate" in page.locator("#participations-1 .field-organisation").inner_text()

    steps.click(page.locator("input[name=_publish]"), "save and publish")
    page.wait_for_url("**/admin/talks/talk/")

    talk = Talk.objects.get(title="Clusters and the circular economy")
    assert talk.status == Talk.Status.PUBLISHED
    rows = {p.person.name: (p.position, p.organisation.name) for p in talk.participations.select_related("person", "organisation")}
    assert rows["Anna Kovács"][0] == "Head of Unit"
    assert rows["Nora Newcomer"] == ("Innovation Lead", "Clust-ER Innovate")
    assert counter_start.endswith("/admin/")
    print(f"\nPublishing the next talk took {steps.total} steps "
          f"({steps.clicks} clicks, {steps.fields} fields): " + "; ".join(steps.log))
    assert steps.total <= 15, steps.log


def test_dashboard_and_merge_page_pass_axe(organiser_page, site):
    from clustertalks.people.models import Person

    from .conftest import describe_violations, run_axe

    page = organiser_page
    page.goto(site.base + "/admin/")
    assert page.get_by_role("heading", name="What needs doing").is_visible()
    assert page.get_by_role("heading", name="Next talks").is_visible()
    violations = run_axe(page, structure=False)
    save_screenshot(page, "backoffice_dashboard_1280")
    assert violations == [], describe_violations(violations)

    twins = Person.objects.filter(name__in=["Anna Kovács", "Jan de Vries"]).order_by("pk")
    page.goto(site.base + "/admin/people/person/")
    for person in twins:
        page.check(f"input[name=_selected_action][value='{person.pk}']")
    page.select_option("select[name=action]", "merge_selected_people")
    with page.expect_navigation():
        page.click(".actions button[type=submit]")
    assert page.locator("h1", has_text="Merge 2 people").is_visible()
    result = overflow(page)
    assert result["scroll"] <= 0, result
    violations = run_axe(page, structure=False)
    save_screenshot(page, "backoffice_merge_people_1280")
    assert violations == [], describe_violations(violations)


def test_organiser_outside_brussels_gets_no_server_time_note(new_page, site, live_server, django_user_model):
    """An organiser in New York types Brussels times for a Brussels series: the field says the
    zone, and Django's "You are 6 hours behind server time" note is not shown."""
    user = django_user_model.objects.create_superuser("traveller", "t@example.org", "pw-traveller-1")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page = new_page(timezone_id="America/New_York")
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    series = site.talks["upcoming"].series
    page.goto(site.base + f"/admin/talks/talk/add/?series={series.pk}")
    page.locator(".datetimeshortcuts").first.wait_for()  # Django's calendar and clock are set up
    assert page.locator(".timezonewarning").count() == 0
    assert "server time" not in page.content()
    assert page.get_by_text("Wall-clock time in Europe/Brussels.").count() == 2


def test_choosing_another_speaker_replaces_what_was_filled_not_what_was_typed(organiser_page, site):
    from playwright.sync_api import expect

    page, steps = organiser_page, Counter()
    series = site.talks["upcoming"].series
    page.goto(site.base + f"/admin/talks/talk/add/?series={series.pk}")
    row = page.locator("#participations-0 .field-person")
    position = page.locator("#id_participations-0-position")
    choose(steps, page, row, "Anna", "first choice")
    expect(position).to_have_value("Head of Unit")
    choose(steps, page, row, "Marco", "second choice")
    expect(position).to_have_value("Cluster Manager")
    expect(page.locator("#participations-0 .field-organisation")).to_contain_text("Clust-ER Innovate")
    position.fill("Chair of the panel")
    choose(steps, page, row, "Lucía", "third choice")
    expect(page.locator("#participations-0 .field-organisation")).to_contain_text("Universidad de Deusto")
    assert position.input_value() == "Chair of the panel"
