"""The back-office sign-in in Chromium: password, a passkey made with Chromium's virtual
authenticator (CDP WebAuthn domain), recovery codes, then the passkey as the second factor at
the next sign-in; an authenticator-app code too. Every sign-in page passes axe, and no page of
the back office breaks its Content-Security-Policy."""

import pytest
from django.urls import reverse

from .conftest import describe_violations, run_axe

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def back_office(live_server, transactional_db, settings, django_user_model):
    settings.ADMIN_REQUIRE_TWO_FACTOR = True
    settings.AXES_ENABLED = True
    # The live server is http://localhost:<port>: passkeys are bound to that origin.
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    return live_server.url


@pytest.fixture
def watched_page(page):
    """The page, with every CSP violation the browser reports collected in page.csp_errors.
    Violations from scripts evaluated without a URL (axe-core, injected by the accessibility
    checks, applies inline styles) are not the site's and are left out."""
    errors = []

    def collect(message):
        if "Content Security Policy" in message.text and message.location.get("url"):
            errors.append(f"{page.url}: {message.text}")

    page.on("console", collect)
    page.csp_errors = errors
    return page


@pytest.fixture
def virtual_authenticator(watched_page):
    cdp = watched_page.context.new_cdp_session(watched_page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
    }})
    yield cdp
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": added["authenticatorId"]})
    cdp.send("WebAuthn.disable")
    cdp.detach()


def assert_accessible(page):
    violations = run_axe(page, structure=False)
    assert not violations, page.url + "\n" + describe_violations(violations)


def password_step(page, base):
    page.goto(base + "/admin/")
    assert "/admin/login/" in page.url
    assert_accessible(page)
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def test_passkey_enrolment_then_passkey_sign_in(watched_page, back_office, virtual_authenticator):
    page = watched_page
    password_step(page, back_office)
    assert reverse("accounts:enrol") in page.url
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert_accessible(page)

    with page.expect_navigation(url="**/recovery-codes/"):
        page.get_by_role("button", name="Add a passkey").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="I have saved them: continue").click()
    assert page.url == back_office + "/admin/"
    assert page.get_by_role("heading", name="Back office").is_visible()

    # Next sign-in: the passkey is the second factor.
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    password_step(page, back_office)
    assert reverse("accounts:verify") in page.url
    assert_accessible(page)
    with page.expect_navigation(url=back_office + "/admin/"):
        page.get_by_role("button", name="Confirm with a passkey").click()
    page.goto(back_office + "/admin/talks/talk/add/")
    assert page.get_by_role("heading", name="Add talk").is_visible()
    assert page.csp_errors == []


def test_authenticator_app_enrolment_by_keyboard(watched_page, back_office):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = watched_page
    password_step(page, back_office)
    field = page.get_by_label("Code from the app")
    field.fill("000000")
    with page.expect_navigation():
        field.press("Enter")
    assert page.get_by_role("alert").first.is_visible()
    assert_accessible(page)

    device = TOTPDevice.objects.get(user__username="boss")
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    page.wait_for_timeout(1500)  # django-otp makes a code wait a second after a wrong one
    page.get_by_label("Code from the app").fill(code)
    with page.expect_navigation():
        page.get_by_label("Code from the app").press("Enter")
    assert page.locator(".recovery-codes li").count() == 10
    assert page.csp_errors == []


def test_no_back_office_page_breaks_the_csp(watched_page, live_server, transactional_db, settings,
                                            django_user_model):
    """Every list and add form of the back office under the admin CSP: nothing blocked."""
    from django.contrib import admin
    from django.test import Client

    settings.ADMIN_REQUIRE_TWO_FACTOR = False  # the session below is made without the steps
    organiser = django_user_model.objects.create_superuser("organiser", "o@example.org", PASSWORD)
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page = watched_page
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    urls = ["/admin/", reverse("accounts:security")]
    checked_apps = ("clustertalks.", "django_otp", "axes")
    for model in admin.site._registry:
        if not model._meta.app_config.name.startswith(checked_apps):
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        if admin.site._registry[model].has_add_permission(_request_for(organiser)):
            urls.append(reverse(f"{info}_add"))
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
    assert page.csp_errors == []


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
