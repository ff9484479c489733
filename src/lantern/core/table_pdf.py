"""A plain table as PDF, written directly, for exports too large for HTML layout.

WeasyPrint lays out an HTML table at tens of milliseconds a row (100,000 actions took well over
half an hour), so a large export is drawn here instead: a fixed-pitch font (Courier, one of the
PDF standard fonts, so nothing is embedded) whose every character has the same width, so columns
wrap by counting characters; a heading on every page; rows that do not fit carry on over the
page with the heading repeated; each page's content compressed. Linear in the rows, at a few
tens of microseconds each.

Text is encoded as Windows-1252 (the standard fonts' WinAnsiEncoding); a character outside it
is printed as "?" (the CSV and XLSX exports keep every character).
"""

from __future__ import annotations

import textwrap
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 842.0, 595.0  # A4 landscape, in points
MARGIN = 28.0
FONT_SIZE = 6.5
CHAR_WIDTH = FONT_SIZE * 0.6  # Courier: every glyph is 600/1000 of the font size
LEADING = 8.0
GAP = 1  # characters between columns


@dataclass(frozen=True)
class Column:
    heading: str
    width: int  # in characters


def table_pdf(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    subtitle: str = "",
    footer: str = "",
) -> bytes:
    """The rows as a PDF table under `title` (and `subtitle`) on each page, with `footer` and
    the page number at the foot of each page. Refuses columns wider than the page (ValueError)."""
    total = sum(c.width for c in columns) + GAP * (len(columns) - 1)
    if total * CHAR_WIDTH > PAGE_WIDTH - 2 * MARGIN:
        raise ValueError(f"The columns ({total} characters) are wider than the page")
    pages = _Pages(title, subtitle, footer, columns)
    for row in rows:
        pages.add_row(
            [_wrap(str(cell or ""), col.width) for cell, col in zip(row, columns, strict=True)]
        )
    return _document(pages.finish())


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False) or [
            ""
        ]
    return lines


class _Pages:
    """Content streams, one per page, filled line by line."""

    def __init__(self, title: str, subtitle: str, footer: str, columns: Sequence[Column]):
        self.title, self.subtitle, self.footer, self.columns = title, subtitle, footer, columns
        self.xs = []
        x = MARGIN
        for col in columns:
            self.xs.append(x)
            x += (col.width + GAP) * CHAR_WIDTH
        self.pages: list[bytes] = []
        self.ops: list[str] = []
        self.y = 0.0
        self._new_page()

    def add_row(self, cells: list[list[str]]) -> None:
        height = max(len(c) for c in cells)
        if self.y - height * LEADING < MARGIN + LEADING and self.y < self.top_of_rows:
            self._new_page()  # start the row on a fresh page if it fits on one
        for i in range(height):
            if self.y - LEADING < MARGIN + LEADING:
                self._new_page()
            self._line([c[i] if i < len(c) else "" for c in cells], font="F1")
        self._rule()

    def finish(self) -> list[bytes]:
        self._close_page()
        return self.pages

    def _new_page(self) -> None:
        if self.ops:
            self._close_page()
        self.ops = []
        self.y = PAGE_HEIGHT - MARGIN
        self._text(MARGIN, self.y - 12, "F2", 12, self.title)
        self.y -= 20
        if self.subtitle:
            self._text(MARGIN, self.y - FONT_SIZE, "F1", FONT_SIZE, self.subtitle)
            self.y -= LEADING + 4
        self._line([c.heading[: c.width] for c in self.columns], font="F2")
        self._rule()
        self.top_of_rows = self.y

    def _close_page(self) -> None:
        number = len(self.pages) + 1
        foot = f"{self.footer}  Page {number}." if self.footer else f"Page {number}."
        self._text(MARGIN, MARGIN - 10, "F1", FONT_SIZE, foot)
        self.pages.append(zlib.compress("\n".join(self.ops).encode("latin-1"), 6))
        self.ops = []

    def _line(self, cells: list[str], *, font: str) -> None:
        """One line of text across the columns. In a text object the first Td places the line
        and each later Td moves from the start of the previous cell."""
        self.y -= LEADING
        parts = [f"BT /{font} {FONT_SIZE} Tf"]
        previous = None
        for x, cell in zip(self.xs, cells, strict=True):
            if not cell:
                continue
            move = f"{x:.2f} {self.y + 2:.2f}" if previous is None else f"{x - previous:.2f} 0"
            parts.append(f"{move} Td ({_escape(cell)}) Tj")
            previous = x
        parts.append("ET")
        self.ops.append(" ".join(parts))

    def _rule(self) -> None:
        self.ops.append(
            f"0.6 G 0.3 w {MARGIN:.2f} {self.y:.2f} m {PAGE_WIDTH - MARGIN:.2f} {self.y:.2f} l S"
        )

    def _text(self, x: float, y: float, font: str, size: float, text: str) -> None:
        self.ops.append(f"BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({_escape(text)}) Tj ET")


def _escape(text: str) -> str:
    encoded = text.encode("cp1252", errors="replace").decode("latin-1")
    return encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _document(pages: list[bytes]) -> bytes:
    """The PDF file: catalogue, page tree, two standard fonts, and the pages."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree's number is known
    tree = add(b"")
    regular = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"
    )
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>"
    )
    kids = []
    for stream in pages:
        content = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
        kids.append(
            add(
                (
                    f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {PAGE_WIDTH:.0f} "
                    f"{PAGE_HEIGHT:.0f}] /Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R "
                    f">> >> /Contents {content} 0 R >>"
                ).encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    objects[tree - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)
