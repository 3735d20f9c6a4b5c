"""A series' identity: what organisers may set (and what is refused, with a clear error), and
where it shows (header, colours, home hero, share images, emails, feeds)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clustertalks.branding import colours
from clustertalks.branding.demo import load_identity_demo, logo_svg
from clustertalks.branding.forms import IdentityForm
from clustertalks.branding.models import Identity
from clustertalks.branding.services import brand_for_series, site_identity
from clustertalks.feeds.images import card_for
from clustertalks.talks.models import Talk
from tests.roles.helpers import *  # noqa: F403 - fixtures: world, login_as

GOOD = {"primary_colour": "#004494", "primary_text_colour": "#ffffff",
        "accent_colour": "#ffd617", "accent_text_colour": "#1b1f24"}


def png(width=800, height=300, fmt="PNG") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "#004494").save(output, format=fmt)
    return output.getvalue()


def form_for(series, files=None, **data):
    values = {"series": series.pk, "name": "", "introduction": "Hello.", "hero_image_alt": "", **GOOD, **data}
    return IdentityForm(data=values, files=files or {})


# ------------------------------------------------------------------ colours and contrast

def test_contrast_ratio_follows_wcag():
    assert colours.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert colours.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_eu_palette_is_accepted(series):
    form = form_for(series)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("changes, field", [
    ({"primary_colour": "#ffffff", "primary_text_colour": "#ffd617"}, "primary_text_colour"),  # 1.4:1
    ({"accent_text_colour": "#ffffff"}, "accent_text_colour"),  # white on EU yellow: 1.4:1
    ({"primary_colour": "#777777", "primary_text_colour": "#ffffff"}, "primary_text_colour"),  # 4.48:1
])
def test_text_below_4_5_to_1_is_refused_with_the_ratio(series, changes, field):
    form = form_for(series, **changes)
    assert not form.is_valid()
    message = " ".join(form.errors[field])
    assert "at least 4.5:1" in message and "a contrast of " in message


@pytest.mark.parametrize("value", ["blue", "#12345", "#gggggg", "", "#0044941", "<script>"])
def test_colour_must_be_hex(series, value):
    form = form_for(series, primary_colour=value)
    assert not form.is_valid()
    assert "primary_colour" in form.errors


# ------------------------------------------------------------------ pictures

def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_svg_logo_and_raster_logo_are_accepted(series):
    assert form_for(series, files={"logo": upload("logo.svg", logo_svg(), "image/svg+xml")}).is_valid()
    assert form_for(series, files={"logo": upload("logo.png", png(200, 200))}).is_valid()


HOSTILE_SVGS = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "handler": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
    "javascript link": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)"><rect width="9" height="9"/></a></svg>',
    "external image": b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>',
    "html inside": b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
    "entities": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    "style import": b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>',
    "animated link": b'<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
    "not svg": b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>x</script></html>',
    "broken": b'<svg xmlns="http://www.w3.org/2000/svg"><rect',
}


@pytest.mark.parametrize("kind", HOSTILE_SVGS)
def test_svg_that_could_run_or_fetch_anything_is_refused(series, kind):
    form = form_for(series, files={"logo": upload("logo.svg", HOSTILE_SVGS[kind], "image/svg+xml")})
    assert not form.is_valid()
    assert form.errors["logo"]


@pytest.mark.parametrize("name, content, error_part", [
    ("logo.png", b"this is a text file pretending", "not an image"),
    ("logo.gif", None, "SVG, PNG, JPEG or WebP"),
    ("logo.png", png(5000, 100), "4000 pixels"),
    ("logo.png", b"", "empty"),
])
def test_bad_logo_files_get_a_clear_error(series, name, content, error_part):
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, format="GIF")
        content = buffer.getvalue()
    form = form_for(series, files={"logo": upload(name, content)})
    assert not form.is_valid()
    assert error_part in " ".join(form.errors["logo"])


def test_oversized_logo_and_hero_are_refused(series):
    big = upload("logo.png", b"\x89PNG" + b"0" * (600 * 1024))
    form = form_for(series, files={"logo": big, "hero_image": upload("hero.jpg", b"x" * (6 * 1024 * 1024))})
    assert not form.is_valid()
    assert "limit" in " ".join(form.errors["logo"])
    assert "limit" in " ".join(form.errors["hero_image"])


def test_hero_must_be_a_wide_enough_picture(series):
    assert form_for(series, files={"hero_image": upload("hero.jpg", png(1200, 400, "JPEG"))}).is_valid()
    narrow = form_for(series, files={"hero_image": upload("hero.png", png(300, 200))})
    assert not narrow.is_valid() and "600" in " ".join(narrow.errors["hero_image"])
    svg = form_for(series, files={"hero_image": upload("hero.svg", logo_svg())})
    assert not svg.is_valid()


def test_only_one_site_identity(series):
    from clustertalks.talks.models import Series

    Identity.objects.create(series=series, is_site_identity=True)
    other = Series.objects.create(name="Other talks", time_zone="Europe/Brussels")
    form = form_for(other, is_site_identity="on")
    assert not form.is_valid()
    assert "site" in " ".join(form.errors["is_site_identity"])


# ------------------------------------------------------------------ back office

def identity_add_data(series, **extra):
    return {"series": series.pk if series else "", "name": "Cluster Talks", "introduction": "Hi", "hero_image_alt": "", **GOOD, **extra}


def test_organiser_sets_an_identity_in_the_back_office(admin_client, series):
    response = admin_client.post(
        reverse("admin:branding_identity_add"),
        identity_add_data(series, logo=upload("logo.svg", logo_svg(), "image/svg+xml"), is_site_identity="on"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    identity = Identity.objects.get(series=series)
    assert identity.logo.name.endswith(".svg") and identity.is_site_identity


@pytest.mark.parametrize("hostile", [
    {"primary_text_colour": "#0b4a99"},  # dark blue on dark blue
    {"primary_colour": "x" * 500},
    {"hero_image_alt": "a" * 1000},
    {"series": "999999"},
    {"name": "n" * 5000},
    {"introduction": "i" * 5000},
])
def test_back_office_form_refuses_wrong_input_without_a_500(admin_client, series, hostile):
    data = {**identity_add_data(series), **hostile}
    response = admin_client.post(reverse("admin:branding_identity_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Identity.objects.exists()


def test_identity_is_edited_inline_with_its_series(admin_client, series):
    response = admin_client.get(reverse("admin:talks_series_change", args=[series.pk]))
    assert response.status_code == 200
    assert b"identity-0-primary_colour" in response.content or b"identity-__prefix__-primary_colour" in response.content


def test_series_organiser_edits_only_their_series_identity(client, world, login_as):
    ours = Identity.objects.create(series=world.ours)
    theirs = Identity.objects.create(series=world.theirs)
    login_as("series organiser")
    assert client.get(reverse("admin:branding_identity_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:branding_identity_change", args=[theirs.pk])).status_code in (302, 403, 404)
    response = client.post(reverse("admin:branding_identity_add"), identity_add_data(world.theirs))
    assert response.status_code == 200 and "series" in response.context["adminform"].form.errors


def test_viewer_cannot_change_an_identity(client, world, login_as):
    identity = Identity.objects.create(series=world.ours, name="Before")
    login_as("viewer")
    client.post(reverse("admin:branding_identity_change", args=[identity.pk]), identity_add_data(world.ours, name="After"))
    identity.refresh_from_db()
    assert identity.name == "Before"


# ------------------------------------------------------------------ where it shows

@pytest.fixture
def eu_identity(series, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    series.tagline = "the bi-weekly meeting point for the cluster community"
    series.save()
    identity, _made = load_identity_demo(series)
    return identity


def test_demo_identity_is_close_to_the_seeds_and_reaches_aa(eu_identity):
    assert eu_identity.display_name == "EU Clusters Talks"
    assert eu_identity.is_site_identity
    assert colours.contrast(eu_identity.primary_colour, eu_identity.primary_text_colour) >= 4.5
    assert colours.contrast(eu_identity.accent_colour, eu_identity.accent_text_colour) >= 4.5
    assert eu_identity.logo.name.endswith(".svg") and eu_identity.hero_image
    assert load_identity_demo(eu_identity.series)[1] is False  # idempotent


def test_header_home_and_stylesheet_wear_the_identity(client, eu_identity, make_talk):
    make_talk("Clusters and skills", start=timezone.now() + dt.timedelta(days=9))
    html = client.get("/").content.decode()
    assert "EU Clusters Talks" in html and eu_identity.logo.url in html
    assert "the bi-weekly meeting point" in html and "European Cluster Collaboration Platform" in html
    assert ">Register<" in html and reverse("registrations:register", args=[Talk.objects.get().slug]) in html
    assert eu_identity.hero_image.url in html
    css = client.get(reverse("branding:stylesheet")).content.decode()
    assert "--brand-primary: #004494" in css and "--brand-accent: #ffd617" in css
    assert "favicon.svg" in html and "favicon-32.png" in html
    for url in (eu_identity.logo.url, eu_identity.hero_image.url):  # public files
        assert client.get(url).status_code == 200


def test_stylesheet_link_changes_with_the_colours(client, eu_identity):
    before = client.get("/").content.decode()
    eu_identity.primary_colour = "#0b3d91"
    eu_identity.save()
    after = client.get("/").content.decode()
    link = reverse("branding:stylesheet") + "?v="
    assert before.split(link)[1][:12] != after.split(link)[1][:12]
    assert "#0b3d91" in client.get(reverse("branding:stylesheet")).content.decode()


def test_editing_the_identity_refreshes_cached_pages(client, eu_identity):
    assert "EU Clusters Talks" in client.get("/talks/").content.decode()
    eu_identity.name = "Cluster Mornings"
    eu_identity.save()
    assert "Cluster Mornings" in client.get("/talks/").content.decode()


def test_without_identity_the_site_keeps_its_default_name(client, db):
    assert site_identity().is_default
    assert "clustertalks" in client.get("/").content.decode()


def test_share_images_use_the_identity_colours(eu_identity, make_talk):
    eu_identity.primary_colour, eu_identity.primary_text_colour = "#0b3d91", "#ffffff"
    eu_identity.save()
    talk = make_talk("Clusters and skills")
    card = card_for(talk)
    assert (card.colour, card.ink, card.accent) == ("#0b3d91", "#ffffff", "#ffd617")
    assert brand_for_series(talk.series_id).name == "EU Clusters Talks"


def test_calendar_and_feeds_are_named_after_the_identity(client, eu_identity, make_talk):
    make_talk("Clusters and skills")
    ics = client.get(reverse("feeds:all_ics")).content.decode()
    assert "X-WR-CALNAME:EU Clusters Talks" in ics
    assert "New talks: EU Clusters Talks" in client.get(reverse("feeds:all_talks_rss")).content.decode()


def test_registration_email_carries_the_identity(eu_identity, make_talk):
    from clustertalks.registrations.emails import context_for
    from clustertalks.registrations.models import Registration
    from django.template.loader import render_to_string

    talk = make_talk("Clusters and skills", start=timezone.now() + dt.timedelta(days=9))
    registration = Registration.objects.create(
        talk=talk, name="Ada", email="ada@example.org", organisation="Cluster",
        organisation_type="cluster", country="BE", position="Lead", consented_at=timezone.now())
    html = render_to_string("registrations/email/message.html", context_for(registration, "approved"))
    assert "EU Clusters Talks" in html and "background: #004494" in html


def test_a_colour_written_outside_the_form_never_reaches_the_stylesheet(client, series):
    # 7 characters, the column's size, so PostgreSQL stores it as SQLite does.
    Identity.objects.create(series=series, primary_colour="0}*{a:b", accent_colour="#FFD617")
    css = client.get(reverse("branding:stylesheet")).content.decode()
    assert "*{a:b" not in css and "--brand-primary: #004494" in css and "#ffd617" in css


def test_another_series_wears_its_own_colours_on_its_pages(client, eu_identity, make_talk):
    from clustertalks.talks.models import Series

    other = Series.objects.create(name="Regional Talks", time_zone="Europe/Brussels")
    Identity.objects.create(series=other, primary_colour="#2e5e1e", primary_text_colour="#ffffff")
    talk = make_talk("Regional clusters", series=other)
    css = client.get(reverse("branding:stylesheet")).content.decode()
    assert f'[data-series="{other.slug}"] {{ --brand-primary: #2e5e1e;' in css
    assert f'data-series="{other.slug}"' in client.get(talk.get_absolute_url()).content.decode()
    assert f'data-series="{other.slug}"' in client.get(other.get_absolute_url()).content.decode()
    link = reverse("branding:stylesheet") + "?v="
    before = client.get("/").content.decode().split(link)[1][:12]
    Identity.objects.filter(series=other).update(primary_colour="#1e5e2e")
    from clustertalks.core.pagecache import bump_public_generation

    bump_public_generation()
    assert client.get("/").content.decode().split(link)[1][:12] != before  # another series' change


def test_error_pages_render_in_the_default_identity_when_the_database_is_down(rf, monkeypatch, db):
    from django.db import OperationalError

    from clustertalks.branding import context_processors

    def broken():
        raise OperationalError("database is down")

    monkeypatch.setattr(context_processors, "identities", broken)
    context = context_processors.brand(rf.get("/"))
    assert context["SITE_NAME"] == "clustertalks" and context["BRAND"].is_default


def test_the_hero_links_to_the_series_in_the_page_s_language_whichever_page_came_first(client, series):
    """The identities are kept for every language (per_generation): the series link is worked
    out per page, so a French visit first must not send English readers to /fr/."""
    Identity.objects.create(series=series, is_site_identity=True)
    french, english = client.get("/fr/").content.decode(), client.get("/").content.decode()
    assert f'href="/fr/series/{series.slug}/"' in french
    assert f'<a href="/series/{series.slug}/">' in english and "/fr/series/" not in english
