"""Uploaded media: Range (206) for seeking a video, conditional requests, proxy hand-off."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from clustertalks.core.media import FileWindow, parse_range
from clustertalks.materials.models import Recording, TalkSummary

VIDEO = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def video_url(settings, tmp_path, make_talk):
    """An uploaded video of a public talk whose materials are published (so public)."""
    settings.MEDIA_ROOT = tmp_path
    recording = Recording(talk=make_talk(), source=Recording.Source.UPLOAD)
    recording.video.save("talk.mp4", ContentFile(VIDEO))
    TalkSummary.objects.create(talk=recording.talk, materials_published_at=timezone.now())
    return recording.video.url


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_range_request_on_an_uploaded_video_answers_206_with_the_right_bytes(client, video_url):
    response = client.get(video_url, HTTP_RANGE="bytes=1000-1999")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert response["Content-Length"] == "1000"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == VIDEO[1000:2000]


@pytest.mark.parametrize("header, expected", [
    ("bytes=10240-", None), ("bytes=-100", slice(-100, None)), ("bytes=10000-", slice(10000, None)),
    ("bytes=0-0", slice(0, 1)), ("bytes=10200-99999", slice(10200, None)),
])
def test_open_ended_and_suffix_ranges(client, video_url, header, expected):
    response = client.get(video_url, HTTP_RANGE=header)
    if expected is None:
        assert response.status_code == 416
        assert response["Content-Range"] == f"bytes */{len(VIDEO)}"
    else:
        assert response.status_code == 206
        assert body(response) == VIDEO[expected]


def test_the_whole_file_says_it_accepts_ranges_and_answers_304_to_a_repeat(client, video_url):
    whole = client.get(video_url)
    assert whole.status_code == 200 and body(whole) == VIDEO
    assert whole["Accept-Ranges"] == "bytes" and whole["Content-Length"] == str(len(VIDEO))
    assert client.get(video_url, HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304
    assert client.get(video_url, HTTP_IF_MODIFIED_SINCE=whole["Last-Modified"]).status_code == 304


def test_if_range_with_an_old_etag_gets_the_whole_new_file(client, video_url):
    etag = client.get(video_url)["ETag"]
    assert client.get(video_url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag).status_code == 206
    stale = client.get(video_url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert stale.status_code == 200 and body(stale) == VIDEO


def test_several_ranges_or_junk_get_the_whole_file(client, video_url):
    for header in ["bytes=0-1,5-6", "pages=1-2", "bytes=abc"]:
        response = client.get(video_url, HTTP_RANGE=header)
        assert response.status_code == 200 and body(response) == VIDEO


def test_paths_outside_the_media_folder_and_missing_files_are_404(client, video_url):
    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/recordings/none.mp4").status_code == 404
    assert client.post(video_url).status_code == 405


def test_behind_nginx_the_proxy_sends_the_bytes(client, video_url, settings):
    settings.MEDIA_SERVER = "nginx"
    response = client.get(video_url)
    assert response["X-Accel-Redirect"] == "/protected-media/" + video_url.removeprefix("/media/")
    assert response.content == b""
    settings.MEDIA_SERVER = "sendfile"
    assert client.get(video_url)["X-Sendfile"].endswith(video_url.removeprefix("/media/"))


def test_the_access_check_hides_media_of_unpublished_materials(client, video_url, organiser):
    assert client.get(video_url)["Cache-Control"].startswith("public")
    TalkSummary.objects.update(materials_published_at=None)
    assert client.get(video_url).status_code == 404
    client.force_login(organiser)
    preview = client.get(video_url, HTTP_RANGE="bytes=0-9")
    assert preview.status_code == 206 and preview["Cache-Control"] == "private, no-store"


def test_parse_range_and_the_file_window(tmp_path):
    assert parse_range("bytes=5-", 10) == (5, 9)
    assert parse_range("bytes=-3", 10) == (7, 9)
    assert parse_range("bytes=-0", 10) is False
    assert parse_range("bytes=9-2", 10) is False
    assert parse_range("", 10) is None
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    window = FileWindow(path.open("rb"), 2, 5)
    assert window.read(3) + window.read() + window.read() == b"23456"
    window.close()
