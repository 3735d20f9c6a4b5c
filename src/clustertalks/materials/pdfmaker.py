"""A tiny writer of text-only PDF slides (Helvetica, landscape), for the demo data and the tests:
real PDFs whose text PDFium can extract, made without any extra dependency."""

WIDTH, HEIGHT = 842, 595  # A4 landscape, in points


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _page_stream(title: str, lines: list[str]) -> bytes:
    parts = [b"0.0 0.27 0.58 rg 0 535 842 60 re f", b"BT /F1 28 Tf 1 1 1 rg 40 552 Td", _pdf_string(title) + b" Tj ET"]
    y = 480
    for line in lines:
        parts.append(b"BT /F1 20 Tf 0 0 0 rg 60 %d Td " % y + _pdf_string(line) + b" Tj ET")
        y -= 34
    return b"\n".join(parts)


def build_text_pdf(pages: list[tuple[str, list[str]]]) -> bytes:
    """`pages` is a list of (title, lines); returns the bytes of a valid PDF."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree is known
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for title, lines in pages:
        stream = _page_stream(title, lines)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (tree, WIDTH, HEIGHT, content, font)
        ))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids)
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)
