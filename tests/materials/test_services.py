"""Upload checks, transcript reading, video addresses: every bad input gets a clear message."""

import pytest
from django.core.exceptions import ValidationError

from clustertalks.materials import services
from clustertalks.materials.models import Recording

from .conftest import VTT, pdf_bytes, upload

# --- PDFs -------------------------------------------------------------------------------------


def test_a_real_pdf_is_accepted_with_its_page_count():
    info = services.validate_pdf(upload("slides.pdf", pdf_bytes(pages=3)))

    assert info.page_count == 3 and info.size_bytes > 500


def test_an_executable_renamed_pdf_is_refused_by_content():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"

    with pytest.raises(ValidationError, match="not a PDF file: its content is a Windows program"):
        services.validate_pdf(upload("slides.pdf", exe, "application/pdf"))


def test_a_corrupt_pdf_is_refused():
    broken = pdf_bytes()[:300]  # the header is right, the rest is cut off

    with pytest.raises(ValidationError, match="damaged"):
        services.validate_pdf(upload("slides.pdf", broken, "application/pdf"))


def test_a_pdf_header_followed_by_garbage_is_refused():
    with pytest.raises(ValidationError, match="damaged"):
        services.validate_pdf(upload("slides.pdf", b"%PDF-1.7\n" + b"garbage " * 100))


def test_a_file_over_the_limit_is_refused_before_being_read(settings):
    settings.MATERIALS_MAX_PDF_BYTES = 1000

    class Unreadable:
        """An upload that announces 2 GB and fails the test if anything reads it."""
        size = 2 * 1024**3
        name = "huge.pdf"

        def read(self, *args):
            raise AssertionError("the file was read")

        seek = read

    with pytest.raises(ValidationError, match=r"too large \(2.0 GB\); the limit is 1000 bytes"):
        services.validate_pdf(Unreadable())


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        services.validate_pdf(upload("slides.pdf", b""))


def test_too_many_pages_are_refused(settings):
    settings.MATERIALS_MAX_PDF_PAGES = 2

    with pytest.raises(ValidationError, match="3 pages; the limit is 2"):
        services.validate_pdf(upload("slides.pdf", pdf_bytes(pages=3)))


# --- Video files ---------------------------------------------------------------------------------


def test_a_video_file_is_checked_by_content():
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    services.validate_video_file(upload("talk.mp4", mp4))

    with pytest.raises(ValidationError, match="not an MP4 or WebM video"):
        services.validate_video_file(upload("talk.mp4", b"<html><script>alert(1)</script>"))


# --- Transcripts ---------------------------------------------------------------------------------


def test_webvtt_is_read_into_cues_with_speakers_and_without_markup():
    parsed = services.parse_transcript(upload("talk.vtt", VTT.encode()))

    assert parsed.source_format == "vtt"
    assert [(c.start_ms, c.end_ms, c.speaker) for c in parsed.cues] == [
        (1000, 4000, "Anna Kovács"), (65500, 69000, ""),
    ]
    assert parsed.cues[1].text == "Clusters help SMEs find skills & partners."


def test_srt_in_latin_1_is_decoded_right():
    srt = "1\r\n00:00:01,000 --> 00:00:02,500\r\nLe café des clusters à Liège\r\n\r\n2\r\n00:00:03,000 --> 00:00:05,000\r\nÉnergie\r\n"

    parsed = services.parse_transcript(upload("talk.srt", srt.encode("latin-1")))

    assert parsed.source_format == "srt"
    assert parsed.cues[0].text == "Le café des clusters à Liège"
    assert parsed.cues[1].text == "Énergie"
    assert parsed.cues[0].start_ms == 1000 and parsed.cues[0].end_ms == 2500


def test_srt_in_utf8_with_bom_is_read():
    srt = "\ufeff1\n00:00:01,000 --> 00:00:02,000\nKraków – Łódź\n"

    assert services.parse_transcript(upload("t.srt", srt.encode("utf-8"))).cues[0].text == "Kraków – Łódź"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"WEBVTT\n\nthis is not a cue\njust words\n\nmore words --> here\n", "No timed lines"),
        (b"WEBVTT\n\n00:00:xx.000 --> 00:00:02.000\nhello\n", "cannot be read|No timed lines"),
        (b"lorem ipsum dolor sit amet", "neither a WebVTT file"),
        (b"\x00\x01\x02garbage\xff\xfe", "not a text file"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nbackwards\n", "ends before it starts|cannot be read"),
        (b"", "empty"),
    ],
    ids=["no-cues", "bad-timestamp", "no-header", "binary", "backwards", "empty"],
)
def test_garbage_transcripts_are_refused_with_a_message(data, message):
    with pytest.raises(ValidationError, match=message):
        services.parse_transcript(upload("talk.vtt", data))


def test_an_oversized_transcript_is_refused(settings):
    settings.MATERIALS_MAX_TRANSCRIPT_BYTES = 100

    with pytest.raises(ValidationError, match="too large"):
        services.parse_transcript(upload("talk.vtt", VTT.encode() * 3))


# --- Video addresses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "source", "video_id"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10s", Recording.Source.YOUTUBE, "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", Recording.Source.YOUTUBE, "dQw4w9WgXcQ"),
        ("https://www.youtube.com/live/dQw4w9WgXcQ", Recording.Source.YOUTUBE, "dQw4w9WgXcQ"),
        ("https://vimeo.com/123456789", Recording.Source.VIMEO, "123456789"),
        ("https://player.vimeo.com/video/123456789", Recording.Source.VIMEO, "123456789"),
        ("https://audiovisual.ec.europa.eu/en/video/I-245678", Recording.Source.EC_AUDIOVISUAL, "I-245678"),
        ("https://media.example.org/talks/2023/recap.mp4", Recording.Source.FILE_URL, ""),
        ("https://media.example.org/live/stream.m3u8", Recording.Source.FILE_URL, ""),
        ("https://www.example.org/our-talk", Recording.Source.OTHER_URL, ""),
    ],
)
def test_video_addresses_are_recognised(url, source, video_id):
    address = services.classify_video_url(url)

    assert (address.source, address.video_id) == (source, video_id)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/video.mp4",
        "https://exa mple.org/\"onmouseover=alert(1)",
        "//www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_unsafe_addresses_are_refused(url):
    with pytest.raises(ValidationError, match="starts with https://"):
        services.classify_video_url(url)


def test_a_youtube_address_without_a_video_is_refused():
    with pytest.raises(ValidationError, match="does not name a video"):
        services.classify_video_url("https://www.youtube.com/channel/UC123")


def test_embeds_are_privacy_friendly_and_start_where_asked():
    youtube = services.classify_video_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    vimeo = services.classify_video_url("https://vimeo.com/123456789")

    assert services.embed_url(youtube, 95) == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0&start=95"
    )
    assert services.embed_url(vimeo) == "https://player.vimeo.com/video/123456789?autoplay=1&dnt=1"


def test_every_embed_host_is_allowed_by_the_content_security_policy():
    from clustertalks.core.middleware import CONTENT_SECURITY_POLICY

    frame_src = next(d for d in CONTENT_SECURITY_POLICY.split("; ") if d.startswith("frame-src"))
    for url in ("https://youtu.be/dQw4w9WgXcQ", "https://vimeo.com/1234567",
                "https://audiovisual.ec.europa.eu/en/video/I-245678"):
        embed = services.embed_url(services.classify_video_url(url))
        assert embed.split("/")[0] + "//" + embed.split("/")[2] in frame_src.split()


def test_a_large_upload_kept_on_disk_is_read_from_its_path():
    from django.core.files.uploadedfile import TemporaryUploadedFile

    data = pdf_bytes(pages=4)
    with TemporaryUploadedFile("slides.pdf", "application/pdf", len(data), None) as on_disk:
        on_disk.write(data)
        on_disk.seek(0)
        assert services.validate_pdf(on_disk).page_count == 4
