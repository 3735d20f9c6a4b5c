"""Uploaded media (recordings, slides, pictures): HTTP Range and conditional requests, or handed
to the proxy so that no web worker is held for a download.

MEDIA_SERVER chooses who sends the bytes once Django has said yes:
- "django" (the embedded default of `make run`): this view answers Range requests with 206 and
  the asked bytes (a browser seeks a video, and iOS plays one only this way), If-None-Match /
  If-Modified-Since with 304, If-Range correctly. Under gunicorn the bytes go out with
  sendfile(2) from the file's offset, limited by Content-Length.
- "nginx": an empty response with `X-Accel-Redirect: MEDIA_ACCEL_PREFIX<path>`; nginx serves
  the file from an `internal` location, Range included (docs/deployment.md).
- "sendfile": `X-Sendfile: <absolute path>` for Apache mod_xsendfile or lighttpd.

Whether a file may be served at all is asked of MEDIA_ACCESS_CHECK, a dotted path to a function
`(request, path) -> "public" | "private" | None` (materials.media.media_access: drafts and
unpublished materials stay closed, organisers preview them privately, a file whose row is gone
is never served). Public files may be kept by any cache; private ones by nobody.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def media_access(request, path: str) -> str | None:
    return import_string(settings.MEDIA_ACCESS_CHECK)(request, path)


def resolve(path: str) -> Path:
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except (SuspiciousFileOperation, ValueError):  # a path out of MEDIA_ROOT, a NUL byte
        raise Http404 from None
    if not full.is_file():
        raise Http404
    return full


def content_type(full: Path) -> str:
    guessed, encoding = mimetypes.guess_type(full.name)
    if encoding:  # a .gz is sent as bytes, never decompressed by the browser behind our back
        return "application/octet-stream"
    return guessed or "application/octet-stream"


@require_safe
def serve_media(request, path):
    access = media_access(request, path)
    if access is None:
        raise Http404
    full = resolve(path)
    mode = settings.MEDIA_SERVER
    if mode == "nginx":
        response = handed_to_proxy(full, "X-Accel-Redirect", settings.MEDIA_ACCEL_PREFIX + path)
    elif mode == "sendfile":
        response = handed_to_proxy(full, "X-Sendfile", str(full))
    else:
        response = ranged_file_response(request, full)
    response["Cache-Control"] = (f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
                                 if access == "public" else "private, no-store")
    return response


def handed_to_proxy(full: Path, header: str, value: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type(full))
    response[header] = value
    return response


class FileWindow:
    """Part of an open file: reads stop at the window's end. fileno() lets gunicorn send it
    with sendfile(2) from the current offset, bounded by Content-Length."""

    def __init__(self, handle, start: int, length: int):
        handle.seek(start)
        self.handle, self.remaining = handle, length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.handle.read(size)
        self.remaining -= len(data)
        return data

    def fileno(self) -> int:
        return self.handle.fileno()

    def close(self) -> None:
        self.handle.close()


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(start, end inclusive) of a single byte range; None to send the whole file (no range,
    several ranges or a form we do not read); False when the range is not satisfiable."""
    match = RANGE.match(header.strip().replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def ranged_file_response(request, full: Path):
    stat = full.stat()
    etag = quote_etag(hashlib.md5(f"{stat.st_size}-{stat.st_mtime_ns}".encode()).hexdigest())
    last_modified = int(stat.st_mtime)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    size = stat.st_size
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted and not range_still_valid(request, etag, last_modified):
        wanted = None  # If-Range names another version: the whole new file
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle = full.open("rb")
    if wanted:
        start, end = wanted
        response = FileResponse(FileWindow(handle, start, end - start + 1), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(handle)
        response["Content-Length"] = str(size)
    response["Content-Type"] = content_type(full)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response


def range_still_valid(request, etag: str, last_modified: int) -> bool:
    if_range = request.headers.get("If-Range")
    if not if_range:
        return True
    if if_range.startswith(('"', 'W/')):
        return if_range == etag  # strong comparison: a weak validator never matches
    return parse_http_date_safe(if_range) == last_modified

