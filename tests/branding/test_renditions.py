"""An identity's hero image and raster logo get WebP renditions from the worker (issue 11:
"resized in the worker, and never block a page"); pages show the upload until then."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clustertalks.branding.demo import logo_svg
from clustertalks.branding.models import Identity
from clustertalks.branding.tasks import make_identity_renditions
from clustertalks.core.pagecache import bump_public_generation


def picture(width, height, fmt="JPEG", mode="RGB") -> bytes:
    output = io.BytesIO()
    Image.new(mode, (width, height), (0, 68, 148) if mode == "RGB" else (0, 68, 148, 0)).save(output, format=fmt)
    return output.getvalue()


def webp_size(field) -> tuple[int, int]:
    with field.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "WEBP"
        return image.size


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_identity(series, commit_callbacks, *, hero=None, logo=None):
    identity = Identity(series=series, is_site_identity=True, hero_image_alt="A meeting room")
    if hero:
        identity.hero_image.save("hero.jpg", ContentFile(hero), save=False)
    if logo:
        identity.logo.save(logo[0], ContentFile(logo[1]), save=False)
    with commit_callbacks(execute=True):
        identity.save()
    identity.refresh_from_db()
    return identity


def test_a_big_hero_gets_800_and_1600_px_webp_renditions_shown_with_srcset(client, series, media_root,
                                                                           django_capture_on_commit_callbacks):
    identity = make_identity(series, django_capture_on_commit_callbacks, hero=picture(4000, 1500))
    assert webp_size(identity.hero_800) == (800, 300)
    assert webp_size(identity.hero_1600) == (1600, 600)
    assert (identity.hero_width, identity.hero_height) == (1600, 600)
    html = client.get("/").content.decode()
    assert f'srcset="{identity.hero_800.url} 800w, {identity.hero_1600.url} 1600w"' in html
    assert 'width="1600" height="600"' in html and identity.hero_image.url not in html
    rendition = client.get(identity.hero_800.url)
    assert rendition.status_code == 200 and rendition["Content-Type"] == "image/webp"


def test_a_narrow_hero_is_never_enlarged(series, media_root, django_capture_on_commit_callbacks):
    identity = make_identity(series, django_capture_on_commit_callbacks, hero=picture(700, 300, "PNG"))
    assert webp_size(identity.hero_800) == webp_size(identity.hero_1600) == (700, 300)
    assert identity.hero_srcset == f"{identity.hero_1600.url} 700w"


def test_the_page_shows_the_upload_until_the_worker_has_made_the_renditions(client, series, media_root,
                                                                            django_capture_on_commit_callbacks):
    identity = Identity(series=series, is_site_identity=True)
    identity.hero_image.save("hero.jpg", ContentFile(picture(2000, 700)), save=False)
    with django_capture_on_commit_callbacks(execute=False) as queued:  # no worker yet
        identity.save()
    assert queued and not identity.hero_800
    html = client.get("/").content.decode()
    assert identity.hero_image.url in html and "srcset" not in html.split('class="hero__image"')[1].split(">")[0]


def test_a_raster_logo_gets_40_and_80_px_high_renditions_and_an_svg_stays(client, series, media_root,
                                                                         django_capture_on_commit_callbacks):
    identity = make_identity(series, django_capture_on_commit_callbacks,
                             logo=("logo.png", picture(600, 300, "PNG", "RGBA")))
    assert webp_size(identity.logo_40) == (80, 40) and webp_size(identity.logo_80) == (160, 80)
    with identity.logo_80.open("rb") as handle, Image.open(handle) as image:
        assert image.mode == "RGBA"  # transparency kept
    html = client.get("/").content.decode()
    assert f'srcset="{identity.logo_40.url} 1x, {identity.logo_80.url} 2x"' in html

    with django_capture_on_commit_callbacks(execute=True):
        identity.logo.save("logo.svg", ContentFile(logo_svg()), save=True)
    identity.refresh_from_db()
    assert not identity.logo_40 and not identity.logo_80
    assert make_identity_renditions.call(identity.pk, "logo", identity.logo.name) == "skipped"
    bump_public_generation()
    assert identity.logo.url in client.get("/").content.decode()


def test_a_new_hero_replaces_the_renditions_and_a_stale_task_does_nothing(series, media_root,
                                                                          django_capture_on_commit_callbacks):
    identity = make_identity(series, django_capture_on_commit_callbacks, hero=picture(2000, 700))
    old_files = [identity.hero_800.path, identity.hero_1600.path]
    old_name = identity.hero_image.name
    identity.hero_image.save("other.jpg", ContentFile(picture(1800, 600)), save=False)
    with django_capture_on_commit_callbacks(execute=True):
        identity.save()
    identity.refresh_from_db()
    assert webp_size(identity.hero_1600) == (1600, 533)
    assert not any(__import__("os").path.exists(path) for path in old_files)
    assert make_identity_renditions.call(identity.pk, "hero_image", old_name) == "stale"
    identity.refresh_from_db()
    assert webp_size(identity.hero_1600) == (1600, 533)


def test_an_unreadable_stored_hero_fails_and_the_page_keeps_the_upload(client, series, media_root,
                                                                      django_capture_on_commit_callbacks):
    identity = make_identity(series, django_capture_on_commit_callbacks, hero=b"not a picture at all")
    assert not identity.hero_800
    assert make_identity_renditions.call(identity.pk, "hero_image", identity.hero_image.name) == "failed"
    assert make_identity_renditions.call(identity.pk, "series", "x") == "stale"  # hostile field name


def test_the_admin_upload_leads_to_renditions(admin_client, series, media_root, django_capture_on_commit_callbacks):
    data = {"series": series.pk, "name": "", "introduction": "", "primary_colour": "#004494",
            "primary_text_colour": "#ffffff", "accent_colour": "#ffd617", "accent_text_colour": "#1b1f24",
            "hero_image_alt": "", "hero_image": SimpleUploadedFile("h.jpg", picture(2400, 800), "image/jpeg")}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/branding/identity/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    identity = Identity.objects.get()
    assert webp_size(identity.hero_1600) == (1600, 533)


def test_renditions_cost_the_home_page_no_query(client, series, media_root, django_capture_on_commit_callbacks,
                                                django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    identity = Identity(series=series, is_site_identity=True)
    identity.hero_image.save("hero.jpg", ContentFile(picture(2000, 700)), save=False)
    with django_capture_on_commit_callbacks(execute=False):
        identity.save()
    client.get("/")  # warm what is kept per process
    bump_public_generation()
    with CaptureQueriesContext(connection) as without:
        client.get("/")
    make_identity_renditions.call(identity.pk, "hero_image", identity.hero_image.name)
    with django_assert_num_queries(len(without)):
        html = client.get("/").content.decode()
    assert "srcset=" in html.split('class="hero__image"')[1].split(">")[0]


def test_an_identity_made_before_renditions_gets_them_when_the_demo_runs_again(series, media_root,
                                                                              django_capture_on_commit_callbacks):
    from clustertalks.branding.demo import load_identity_demo

    identity, made = load_identity_demo(series)  # its queued task is dropped: no worker yet
    assert made and not Identity.objects.get().hero_1600
    with django_capture_on_commit_callbacks(execute=True):
        assert load_identity_demo(series)[1] is False
    identity.refresh_from_db()
    assert webp_size(identity.hero_800)[0] == 800 and identity.hero_srcset
    assert not identity.logo_40  # the demo logo is an SVG


def test_saving_a_row_loaded_without_its_pictures_keeps_the_renditions(series, media_root,
                                                                      django_capture_on_commit_callbacks):
    identity = make_identity(series, django_capture_on_commit_callbacks, hero=picture(2000, 700))
    partial = Identity.objects.defer("hero_image", "logo").get(pk=identity.pk)
    partial.name = "Cluster Mornings"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        partial.save()
    identity.refresh_from_db()
    assert identity.hero_1600 and identity.hero_srcset and not queued
