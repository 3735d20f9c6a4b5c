"""Business rules of the materials room: what an upload must be, how a transcript is read, which
video addresses are accepted and how they are embedded, and publishing a talk's materials.

Every check raises django.core.exceptions.ValidationError with a message an organiser can act on;
nothing here writes a row until the whole input has been checked."""

import io
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import pypdfium2 as pdfium
import webvtt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from webvtt.errors import MalformedCaptionError, MalformedFileError

from clustertalks.core import events
from clustertalks.core.pagecache import bump_public_generation

from .media import media_is_public  # noqa: F401 - the access check other rooms call (e.g. media serving)
from .models import Recording, TalkSummary, Transcript, TranscriptCue

MB = 1024 * 1024
# Defaults of the limits; a deployment may set any of these names in its settings.
DEFAULT_LIMITS = {
    "MATERIALS_MAX_PDF_BYTES": 50 * MB,
    "MATERIALS_MAX_VIDEO_BYTES": 1024 * MB,
    "MATERIALS_MAX_TRANSCRIPT_BYTES": 5 * MB,
    "MATERIALS_MAX_IMAGE_BYTES": 5 * MB,
    "MATERIALS_MAX_PDF_PAGES": 500,
    "MATERIALS_MAX_CUES": 20_000,
}
HEAD_BYTES = 1024


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULT_LIMITS[name]))


def max_request_bytes() -> int:
    """The largest body an 'after the talk' form may send: one video, a few PDFs, some text."""
    return limit("MATERIALS_MAX_VIDEO_BYTES") + 4 * limit("MATERIALS_MAX_PDF_BYTES") + 10 * MB


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


def check_size(upload, limit_name: str) -> None:
    """Reject a file over its limit from its announced size, before reading any of it."""
    maximum = limit(limit_name)
    if upload.size is None or upload.size > maximum:
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": human_size(upload.size or 0), "limit": human_size(maximum)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")


def read_head(upload, length: int = HEAD_BYTES) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


# --- What a file really is, from its first bytes ------------------------------------------------

KNOWN_SIGNATURES = (
    (b"MZ", gettext_noop("a Windows program")),
    (b"\x7fELF", gettext_noop("a Linux program")),
    (b"PK\x03\x04", gettext_noop("a ZIP archive or an Office document")),
    (b"\xd0\xcf\x11\xe0", gettext_noop("an old Office document")),
    (b"\x89PNG", gettext_noop("a PNG image")),
    (b"\xff\xd8\xff", gettext_noop("a JPEG image")),
    (b"#!", gettext_noop("a script")),
    (b"<", gettext_noop("an HTML or XML page")),
)


def describe_content(head: bytes) -> str:
    for signature, description in KNOWN_SIGNATURES:
        if head.lstrip().startswith(signature):
            return _(description)
    return _("an unknown kind of file")


# --- PDF -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfInfo:
    size_bytes: int
    page_count: int


def validate_pdf(upload) -> PdfInfo:
    """A real, readable PDF within the limits, whatever its name says."""
    check_size(upload, "MATERIALS_MAX_PDF_BYTES")
    head = read_head(upload)
    if b"%PDF-" not in head:
        raise ValidationError(
            _("This is not a PDF file: its content is %(kind)s. Upload the slides as PDF.")
            % {"kind": describe_content(head)},
            code="not_pdf",
        )
    page_count = pdf_page_count(upload)
    if page_count == 0:
        raise ValidationError(_("This PDF has no pages."), code="no_pages")
    if page_count > limit("MATERIALS_MAX_PDF_PAGES"):
        raise ValidationError(
            _("This PDF has %(count)d pages; the limit is %(limit)d.")
            % {"count": page_count, "limit": limit("MATERIALS_MAX_PDF_PAGES")},
            code="too_many_pages",
        )
    return PdfInfo(size_bytes=upload.size, page_count=page_count)


def pdf_page_count(upload) -> int:
    upload.seek(0)
    source = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else upload.read()
    try:
        document = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            message = _("This PDF is protected by a password; upload a version without one.")
        else:
            message = _("This PDF is damaged and cannot be read. Export it again and retry.")
        raise ValidationError(message, code="corrupt_pdf") from error
    finally:
        upload.seek(0)
    try:
        return len(document)
    finally:
        document.close()


# --- Video files and images ------------------------------------------------------------------------

VIDEO_SIGNATURES = ((4, b"ftyp"), (0, b"\x1a\x45\xdf\xa3"))  # MP4/MOV, WebM/Matroska


def validate_video_file(upload) -> None:
    check_size(upload, "MATERIALS_MAX_VIDEO_BYTES")
    head = read_head(upload, 16)
    if not any(head[offset : offset + len(magic)] == magic for offset, magic in VIDEO_SIGNATURES):
        raise ValidationError(
            _("This is not an MP4 or WebM video: its content is %(kind)s.")
            % {"kind": describe_content(head)},
            code="not_video",
        )


def validate_image_file(upload) -> None:
    check_size(upload, "MATERIALS_MAX_IMAGE_BYTES")


# --- Video addresses -------------------------------------------------------------------------------

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be",
                 "youtube-nocookie.com", "www.youtube-nocookie.com"}  # fmt: skip
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
EC_HOSTS = {"audiovisual.ec.europa.eu"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_PATH = re.compile(r"^/(?:video/)?(\d{3,12})(?:/([0-9a-f]{6,20}))?/?$")
EC_PATH = re.compile(r"/(?:[a-z]{2}/)?video/([A-Z]-\d{3,9})(?:[/?#]|$)", re.IGNORECASE)
FILE_SUFFIXES = (".mp4", ".m4v", ".webm", ".m3u8", ".mov")
UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


@dataclass(frozen=True)
class VideoAddress:
    source: str
    video_id: str = ""
    secret: str = ""  # Vimeo's private-link hash

    @property
    def provider_host(self) -> str:
        return PROVIDER_HOSTS.get(self.source, "")


PROVIDER_HOSTS = {
    Recording.Source.YOUTUBE: "youtube.com",
    Recording.Source.VIMEO: "vimeo.com",
    Recording.Source.EC_AUDIOVISUAL: "audiovisual.ec.europa.eu",
}


def classify_video_url(url: str) -> VideoAddress:
    """The provider and video of an address, or a ValidationError for anything but http(s)."""
    url = (url or "").strip()
    parts = urlsplit(url) if url and not UNSAFE_CHARACTERS.search(url) else None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValidationError(
            _("Give a web address that starts with https:// (or http://)."), code="bad_scheme"
        )
    if parts.username or parts.password:
        raise ValidationError(_("Remove the user name and password from the address."), code="credentials")
    host = parts.hostname.lower()
    if host in YOUTUBE_HOSTS:
        return _youtube(host, parts)
    if host in VIMEO_HOSTS:
        return _vimeo(parts)
    if host in EC_HOSTS and (match := EC_PATH.search(parts.path)):
        return VideoAddress(Recording.Source.EC_AUDIOVISUAL, match.group(1).upper())
    if host in EC_HOSTS and (ref := parse_qs(parts.query).get("ref", [""])[0]):
        if re.fullmatch(r"[A-Za-z]-\d{3,9}", ref):
            return VideoAddress(Recording.Source.EC_AUDIOVISUAL, ref.upper())
    if parts.path.lower().endswith(FILE_SUFFIXES):
        return VideoAddress(Recording.Source.FILE_URL)
    return VideoAddress(Recording.Source.OTHER_URL)


def _youtube(host: str, parts) -> VideoAddress:
    if host == "youtu.be":
        candidate = parts.path.strip("/")
    elif parts.path == "/watch":
        candidate = parse_qs(parts.query).get("v", [""])[0]
    else:
        segments = [s for s in parts.path.split("/") if s]
        candidate = segments[1] if len(segments) == 2 and segments[0] in {"embed", "live", "shorts", "v"} else ""
    if not YOUTUBE_ID.match(candidate):
        raise ValidationError(
            _("This YouTube address does not name a video; copy the address of the video itself."),
            code="youtube_id",
        )
    return VideoAddress(Recording.Source.YOUTUBE, candidate)


def _vimeo(parts) -> VideoAddress:
    match = VIMEO_PATH.match(parts.path)
    if not match:
        raise ValidationError(
            _("This Vimeo address does not name a video; copy the address of the video itself."),
            code="vimeo_id",
        )
    secret = match.group(2) or parse_qs(parts.query).get("h", [""])[0]
    return VideoAddress(Recording.Source.VIMEO, match.group(1), secret if re.fullmatch(r"[0-9a-f]*", secret) else "")


def embed_url(address: VideoAddress, start_seconds: int = 0) -> str:
    """The privacy-friendly player address, loaded only after the visitor's click."""
    start = max(int(start_seconds or 0), 0)
    if address.source == Recording.Source.YOUTUBE:
        query = {"autoplay": 1, "rel": 0, **({"start": start} if start else {})}
        return f"https://www.youtube-nocookie.com/embed/{address.video_id}?{urlencode(query)}"
    if address.source == Recording.Source.VIMEO:
        query = {"autoplay": 1, "dnt": 1, **({"h": address.secret} if address.secret else {})}
        fragment = f"#t={start}s" if start else ""
        return f"https://player.vimeo.com/video/{address.video_id}?{urlencode(query)}{fragment}"
    if address.source == Recording.Source.EC_AUDIOVISUAL:
        query = {"ref": address.video_id, "lg": "EN", "starttime": start}
        return f"https://audiovisual.ec.europa.eu/embed/index.html?{urlencode(query)}"
    return ""


def recording_embed(recording: Recording, start_seconds: int = 0) -> dict:
    """What a template needs to show a recording: the kind of player and its addresses, which
    start at `start_seconds` (a search result's ?t=) with or without JavaScript: a media
    fragment (#t=) for a video file, the provider's own start parameter otherwise."""
    start = max(int(start_seconds or 0), 0)
    if recording.source == Recording.Source.UPLOAD:
        src = recording.video.url if recording.video else ""
        return {"kind": "video", "src": src, "play_src": f"{src}#t={start}" if src and start else src}
    try:
        address = classify_video_url(recording.url)
    except ValidationError:
        return {"kind": "none"}
    embed = embed_url(address, start)
    host = urlsplit(recording.url).hostname or ""
    return {
        "kind": "facade" if embed else "link",
        "embed": embed,
        "provider": address.provider_host or host.removeprefix("www."),
        "href": watch_url_at(recording.url, address, start),
    }


def watch_url_at(url: str, address: "VideoAddress", start: int) -> str:
    """The provider's page of the video, at `start` seconds when the provider supports it."""
    if not start:
        return url
    if address.source == Recording.Source.YOUTUBE:
        return f"https://www.youtube.com/watch?{urlencode({'v': address.video_id, 't': f'{start}s'})}"
    if address.source == Recording.Source.VIMEO:
        return f"{url.split('#')[0]}#t={start}s"
    return url


# --- Transcripts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str
    speaker: str = ""


@dataclass(frozen=True)
class ParsedTranscript:
    source_format: str
    cues: tuple[Cue, ...]


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SRT_START = re.compile(r"^\s*\d+\s*\r?\n\s*\d+:\d{1,2}:\d{1,2}[,.]\d+\s*-->")
MAX_CUE_TEXT = 2000
# A week, as the recording's own duration limit; also well inside the 32-bit integer columns
# (2**31 ms is 596 hours: past it PostgreSQL refuses the row and SQLite would take it).
MAX_CUE_MS = 7 * 24 * 3600 * 1000


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1: subtitle tools write all three."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def parse_transcript(upload) -> ParsedTranscript:
    """Cues from a WebVTT or SRT upload, or a ValidationError saying what is wrong."""
    check_size(upload, "MATERIALS_MAX_TRANSCRIPT_BYTES")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return parse_transcript_bytes(data)


def parse_transcript_bytes(data: bytes) -> ParsedTranscript:
    if b"\x00" in data:
        raise ValidationError(_("This is not a text file, so it cannot be a transcript."), code="binary")
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL_CHARACTERS.search(text):
        raise ValidationError(_("This is not a text file, so it cannot be a transcript."), code="binary")
    source_format, captions = _read_captions(text)
    cues = tuple(cue for cue in (_cue(caption) for caption in captions) if cue.text)
    if not cues:
        raise ValidationError(
            _("No timed lines were found in this file. Check that it is a WebVTT or SRT file."),
            code="no_cues",
        )
    if len(cues) > limit("MATERIALS_MAX_CUES"):
        raise ValidationError(_("This transcript has too many lines."), code="too_many_cues")
    return ParsedTranscript(source_format, cues)


def _read_captions(text: str):
    stripped = text.lstrip()
    try:
        if stripped.startswith("WEBVTT"):
            return Transcript.Format.WEBVTT, webvtt.from_string(stripped).captions
        if SRT_START.match(stripped):
            return Transcript.Format.SRT, webvtt.from_buffer(io.StringIO(stripped), format="srt").captions
    except (MalformedFileError, MalformedCaptionError, ValueError, IndexError, AttributeError) as error:
        raise ValidationError(
            _("This transcript has a line that cannot be read (%(error)s).")
            % {"error": str(error)[:120] or error.__class__.__name__},
            code="malformed",
        ) from error
    raise ValidationError(
        _("This is neither a WebVTT file (starting with WEBVTT) nor an SRT file (starting with 1 "
          "and a timing line)."),
        code="unknown_format",
    )


def _cue(caption) -> Cue:
    start = caption.start_time.in_milliseconds()
    end = caption.end_time.in_milliseconds()
    if end <= start:
        raise ValidationError(
            _("A line ends before it starts (at %(time)s).") % {"time": caption.start},
            code="bad_timing",
        )
    if end > MAX_CUE_MS:
        raise ValidationError(
            _("A line is timed at %(time)s, past the longest recording (168 hours). Check its "
              "timing.") % {"time": caption.end},
            code="too_late",
        )
    text = " ".join(caption.text.split())[:MAX_CUE_TEXT]
    return Cue(start, end, text, (caption.voice or "")[:200])


@transaction.atomic
def replace_transcript(recording: Recording, parsed: ParsedTranscript, language: str = "") -> Transcript:
    Transcript.objects.filter(recording=recording).delete()
    transcript = Transcript.objects.create(
        recording=recording,
        language=language or recording.language,
        source_format=parsed.source_format,
    )
    TranscriptCue.objects.bulk_create(
        TranscriptCue(
            transcript=transcript, position=position, start_ms=cue.start_ms, end_ms=cue.end_ms,
            text=cue.text, speaker=cue.speaker,
        )
        for position, cue in enumerate(parsed.cues, start=1)
    )
    return transcript


def timestamp(ms: int, separator: str = ".") -> str:
    hours, rest = divmod(int(ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def clock(ms: int) -> str:
    """A cue's start as a reader sees it: 4:05 or 1:02:03."""
    hours, rest = divmod(int(ms) // 1000, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def escape_cue_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;")


def to_webvtt(cues) -> str:
    """Captions for the <track> of a video, written from the stored cues."""
    blocks = ["WEBVTT", ""]
    for cue in cues:
        text = escape_cue_text(cue.text)
        if cue.speaker:
            text = f"<v {escape_cue_text(cue.speaker)}>{text}"
        blocks += [str(cue.position), f"{timestamp(cue.start_ms)} --> {timestamp(cue.end_ms)}", text, ""]
    return "\n".join(blocks)


# --- Publishing ------------------------------------------------------------------------------------


class NotPublishable(Exception):
    pass


@transaction.atomic
def publish_materials(talk, now=None) -> bool:
    """Make the talk's materials public and tell the other rooms, once. Returns False when they
    were already published; raises NotPublishable for a draft talk."""
    if not talk.is_public:
        raise NotPublishable(_("“%(talk)s” is a draft: publish the talk first.") % {"talk": talk})
    summary, _created = TalkSummary.objects.select_for_update().get_or_create(talk=talk)
    if summary.materials_published_at is not None:
        return False
    summary.materials_published_at = now or timezone.now()
    summary.save(update_fields=["materials_published_at", "updated_at"])
    events.send_after_commit(events.materials_published, TalkSummary, talk=talk)
    return True


@transaction.atomic
def unpublish_materials(talk) -> bool:
    changed = TalkSummary.objects.filter(talk=talk, materials_published_at__isnull=False).update(
        materials_published_at=None
    )
    if changed:
        bump_public_generation()  # a raw update sends no signal
    return bool(changed)
