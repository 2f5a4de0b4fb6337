"""Text PDFs, read by layout (pypdfium2): lines rebuilt from each character's box and size,
running heads and page numbers dropped, footnotes taken from the page foot and tied to
their reference marks, headings found by size and weight (the outline wins when there is
one), hyphenated words rejoined, paragraphs rejoined across page and column breaks, two
columns read one after the other. Scanned pages (no text layer) are reported."""

from __future__ import annotations

import ctypes
import importlib
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import BookInfo
from ..text.words import zipf
from .base import Section, Source, clean, read_bytes
from .markup import Block, Note, assemble, fold, language_tag, squash
from .text import title_from_name

SUFFIX = ".pdf"
SOFT_HYPHENS = {"\u00ad", "\ufffe", "\x02"}  # pdfium reports a line-end soft hyphen so
SPACES = {" ", "\u00a0", "\u202f", "\u2009", "\t"}
SKIPPED = {"\r", "\n", "\ufeff", "\u200b"}
OCR_HINT = "run OCR on it first (e.g. `ocrmypdf -l fra in.pdf out.pdf`) and read out.pdf"
PAGE_NUMBER_RE = re.compile(
    r"^[\s\-–—.·|]*(?:(?:page|p\.)\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:/|sur|of|de)\s*\d{1,4})?[\s\-–—.·|]*$",
    re.IGNORECASE,
)
MARKER_RE = re.compile(r"^(\d{1,3}|[*†‡§])")
PRINTED_NUMBER_RE = re.compile(r"(?<![\w])(\d{1,4}|[ivxlcdm]{1,7})(?![\w])", re.IGNORECASE)
ROMAN_RE = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
EDGE_NUMBER_RE = re.compile(r"^(\d{1,4})\b|\b(\d{1,4})$")
ENDS_SENTENCE_RE = re.compile(r"[.!?…:»\")\]]$")
STARTS_UPPER_RE = re.compile(r"^[\W\d]*[A-ZÀ-ÖØ-Þ]")
LETTERS_RE = re.compile(r"[^\W\d_]+$")
LEADING_LETTERS_RE = re.compile(r"^[^\W\d_]+")

# Layout tolerances, in units of the font size unless said otherwise.
SPACE_GAP = 0.2  # a gap this wide between two glyphs is a word space
LINE_JUMP = 4.0  # a gap wider than this ends a run of glyphs (column gutter, table cell)
MERGE_GAP = 0.8  # separate pieces closer than this on one baseline are one line (narrower
# than a column gutter)
SAME_LINE = 0.35  # baselines closer than this are one line
RAISED = 0.22  # a digit whose box bottom is this far above the baseline is a superscript
SMALL = 0.85  # a glyph below this fraction of the line's size is small (superscript)
NOTE_SIZE = 0.93  # lines below this fraction of the body size may be footnotes
HEADING_SIZE = 1.12  # lines above this fraction of the body size are headings
PARAGRAPH_GAP = 0.3  # a line gap this much wider than the usual one starts a paragraph
FULL_LINE = 0.12  # a justified line ends this close to the edge; a paragraph's last, further
INDENT = 0.7  # a first line indented this much starts a paragraph
PAGE_TEXT = 300  # characters a page needs for its own text size to be measured
RUNNING_ZONE = 2  # running heads and page numbers: among the first/last lines of a page
HEADING_MAX_CHARS = 160
COMMON = 3.0  # Zipf: a joined word this frequent is a word ("surpasse")
UNCOMMON = 4.5
# After a hyphen, these make an inversion or a compound: "est-elle", "dit-on", "celui-ci".
CLITICS = frozenset(
    ("je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ce", "t", "moi", "toi",
     "lui", "leur", "le", "la", "les", "en", "y", "ci", "là", "même", "mêmes")
)  # fmt: skip
JOIN_MARGIN = 1.0  # Zipf points: a joined word this much rarer than its halves keeps the hyphen


def parse_pages(text: str) -> tuple[int, int]:
    """'3-40' -> (3, 40); '7' -> (7, 7). For the command line's --pages."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:[-–:]\s*(\d+)\s*)?", text)
    if not m or int(m.group(1)) < 1 or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise InputError(f"--pages {text}: give a page or a range of pages, e.g. 3-40.")
    return int(m.group(1)), int(m.group(2) or m.group(1))


# --- glyphs and lines ---------------------------------------------------------------------


@dataclass(slots=True)
class Glyph:
    ch: str
    x0: float
    x1: float
    bottom: float
    top: float
    base: float
    size: float
    bold: bool
    space_before: bool


@dataclass(slots=True)
class Mark:
    """Digits that may be a note's reference mark, at [start, end) of the line's text."""

    start: int
    end: int
    number: str
    strong: bool  # raised or smaller: a superscript; else digits glued to a word


@dataclass(slots=True)
class Line:
    page: int
    text: str
    x0: float
    x1: float
    base: float
    size: float
    bold: bool
    first_word: float  # width of the first word, to tell whether it would have fitted above
    soft: bool = False  # ends with a soft hyphen (taken out of text)
    marks: list[Mark] = field(default_factory=list)
    lead: str | None = None  # a leading note number (the line opens a footnote)
    lead_end: int = 0
    col: int = 0
    col_right: float = 0.0
    col_left: float = 0.0
    kind: str = "body"  # body | heading | note | running
    level: int = 0
    chapter: str | None = None


def dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Glyphs reported twice at one place go: a ligature LibreOffice maps twice ('fifi' for
    one 'fi' glyph), or a letter overprinted to fake bold. A ligature's own letters share
    one box ('ffi') and stay."""
    out: list[Glyph] = []
    i = 0
    while i < len(glyphs):
        j = i + 1
        while j < len(glyphs) and _same_box(glyphs[j], glyphs[i]):
            j += 1
        group = glyphs[i:j]
        n = len(group)
        if (
            n >= 4
            and n % 2 == 0
            and [g.ch for g in group[: n // 2]] == [g.ch for g in group[n // 2 :]]
        ):
            group = group[: n // 2]
        for g in group:
            prev = out[-1] if out else None
            if (
                prev is not None
                and g.ch == prev.ch
                and not _same_box(g, prev)
                and _overlap(g, prev) > 0.7
                and not g.space_before
            ):
                continue
            out.append(g)
        i = j
    return out


def _same_box(a: Glyph, b: Glyph) -> bool:
    return abs(a.x0 - b.x0) < 0.05 and abs(a.x1 - b.x1) < 0.05 and abs(a.base - b.base) < 0.05


def _overlap(a: Glyph, b: Glyph) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    span = max(a.x1 - a.x0, b.x1 - b.x0, 1e-6)
    return max(0.0, width) / span


def _runs(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Stream-consecutive glyphs on one baseline, moving right."""
    runs: list[list[Glyph]] = []
    for g in glyphs:
        if runs:
            prev = runs[-1][-1]
            size = max(prev.size, g.size)
            tol = SAME_LINE if min(prev.size, g.size) > SMALL * size else 0.6
            gap = g.x0 - prev.x1
            ligature = abs(g.x0 - prev.x0) < 0.05  # letters of one glyph share its box
            if abs(g.base - prev.base) <= tol * size and (
                ligature or -0.5 * size <= gap <= LINE_JUMP * size
            ):
                runs[-1].append(g)
                continue
        runs.append([g])
    return runs


def _merge_runs(runs: list[list[Glyph]]) -> list[list[Glyph]]:
    """Runs on one baseline that follow each other closely are one line (a producer may
    write a line in pieces)."""
    keyed = sorted(
        ((_base(r), _size(r), r) for r in runs), key=lambda t: (-round(t[0]), t[2][0].x0)
    )
    out: list[tuple[float, float, list[Glyph]]] = []
    for base, size, run in keyed:
        for k in range(len(out) - 1, -1, -1):
            line_base, line_size, line = out[k]
            tol = SAME_LINE * max(size, line_size)
            if line_base - base > 2 * tol:
                out.append((base, size, list(run)))
                break
            gap = run[0].x0 - line[-1].x1
            if abs(line_base - base) <= tol and -0.2 * size <= gap <= MERGE_GAP * size:
                line.extend(run)
                break
        else:
            out.append((base, size, list(run)))
    return [line for _, _, line in out]


def _base(run: list[Glyph]) -> float:
    """The baseline of a run's full-size glyphs (superscripts sit higher)."""
    first = run[0].base
    if all(g.base == first for g in run):
        return first
    size = _size(run)
    bases = [g.base for g in run if g.size >= SMALL * size]
    return statistics.median(bases or [g.base for g in run])


def _size(run: list[Glyph]) -> float:
    """The size most of a run's glyphs have."""
    first = run[0].size
    if all(g.size == first for g in run):
        return round(first, 1)
    return Counter(round(g.size, 1) for g in run).most_common(1)[0][0]


def make_line(page: int, glyphs: list[Glyph]) -> Line:
    """A line's text (word spaces from the space characters and the gaps), and the digits
    in it that may be note marks: raised or smaller ones, or digits glued to a word's end."""
    size, base = _size(glyphs), _base(glyphs)
    letters = [g for g in glyphs if g.ch.isalpha()]
    text: list[str] = []
    marks: list[Mark] = []
    digits: list[Glyph] = []
    start = 0

    def raised(g: Glyph) -> bool:
        return g.bottom - base > RAISED * size or (
            g.size < SMALL * size and g.base > base + 0.1 * size
        )

    def close(next_ch: str) -> None:
        """The digits just read end here, before `next_ch` ('' at the line's end)."""
        if not digits:
            return
        number = "".join(g.ch for g in digits)
        up = all(raised(g) for g in digits)
        before = text[start - 1] if start > 0 else " "
        glued = (before.isalpha() or before in ".,;:!?»)’'\"") and not next_ch.isalnum()
        if up or glued:
            marks.append(Mark(start, start + len(number), number, up))
        digits.clear()

    prev: Glyph | None = None
    for g in glyphs:
        if prev is not None and (g.space_before or g.x0 - prev.x1 > SPACE_GAP * size):
            close(" ")
            if text and text[-1] != " ":
                text.append(" ")
        if g.ch.isdigit():
            if digits and raised(g) != raised(digits[-1]):
                close(g.ch)
            if not digits:
                start = len(text)
            digits.append(g)
        else:
            close(g.ch)
        text.append(g.ch)
        prev = g
    close("")
    soft = bool(text) and text[-1] in SOFT_HYPHENS
    while text and (text[-1] in SOFT_HYPHENS or text[-1] == " "):
        text.pop()
    # Soft hyphens inside a line are invisible break points: out (marks keep their place).
    line_text, marks = _drop_inner_soft("".join(text), marks)
    return Line(
        page,
        line_text,
        glyphs[0].x0,
        max(g.x1 for g in glyphs),
        base,
        size,
        bool(letters) and all(g.bold for g in letters),  # "12" alone is no bold line
        _first_word_width(glyphs),
        soft,
        [m for m in marks if m.end <= len(line_text)],
    )


def _drop_inner_soft(text: str, marks: list[Mark]) -> tuple[str, list[Mark]]:
    if not any(ch in SOFT_HYPHENS for ch in text):
        return text, marks
    out: list[str] = []
    shift = [0] * (len(text) + 1)
    removed = 0
    for i, ch in enumerate(text):
        shift[i] = removed
        if ch in SOFT_HYPHENS:
            removed += 1
            continue
        out.append(ch)
    shift[len(text)] = removed
    return "".join(out), [
        Mark(m.start - shift[m.start], m.end - shift[m.end], m.number, m.strong) for m in marks
    ]


def _first_word_width(glyphs: list[Glyph]) -> float:
    end = glyphs[0].x1
    for prev, g in zip(glyphs, glyphs[1:], strict=False):
        if g.space_before or g.x0 - prev.x1 > SPACE_GAP * g.size:
            break
        end = g.x1
    return end - glyphs[0].x0


# --- reading the PDF ----------------------------------------------------------------------


class _Pdfium:
    """Per-character calls into PDFium, with reusable out-parameters."""

    def __init__(self) -> None:
        raw = _pdfium("raw")
        self.raw = raw
        self.rect = raw.FS_RECTF()
        self.l, self.r, self.b, self.t = (ctypes.c_double() for _ in range(4))
        self.x, self.y = ctypes.c_double(), ctypes.c_double()

    def glyphs(self, textpage: Any) -> list[Glyph]:
        """The page's glyphs in content order: loose boxes (from the advance widths, so
        letters touch), baselines, sizes, weights; tight boxes for digits (superscripts)."""
        raw = self.raw
        get_u, loose, tight = (
            raw.FPDFText_GetUnicode,
            raw.FPDFText_GetLooseCharBox,
            raw.FPDFText_GetCharBox,
        )
        origin, size_of, weight_of = (
            raw.FPDFText_GetCharOrigin,
            raw.FPDFText_GetFontSize,
            raw.FPDFText_GetFontWeight,
        )
        rect, rect_ref = self.rect, ctypes.byref(self.rect)
        bl, br, bb, bt = (ctypes.byref(v) for v in (self.l, self.r, self.b, self.t))
        ox, oy = ctypes.byref(self.x), ctypes.byref(self.y)
        out: list[Glyph] = []
        space = False
        for i in range(raw.FPDFText_CountChars(textpage)):
            ch = chr(get_u(textpage, i))
            if ch in SPACES or ch in SKIPPED:
                space = True
                continue
            if ch == "\ufffd" or (not ch.isprintable() and ch not in SOFT_HYPHENS):
                continue
            loose(textpage, i, rect_ref)
            origin(textpage, i, ox, oy)
            bottom, top = rect.bottom, rect.top
            if ch.isdigit():
                tight(textpage, i, bl, br, bb, bt)
                bottom, top = self.b.value, self.t.value
            out.append(
                Glyph(
                    ch,
                    rect.left,
                    rect.right,
                    bottom,
                    top,
                    self.y.value,
                    size_of(textpage, i),
                    weight_of(textpage, i) >= 600,
                    space,
                )
            )
            space = False
        return out


def _pdfium(part: str = "") -> Any:
    """pypdfium2 (or one of its modules), imported when a PDF is read: it has no types."""
    try:
        return importlib.import_module("pypdfium2" + (f".{part}" if part else ""))
    except ImportError:  # pragma: no cover - a dependency
        raise InputError("reading a PDF needs pypdfium2: pip install pypdfium2") from None


def _open(path: Path) -> Any:
    pdfium = _pdfium()
    data = read_bytes(path)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError(f"{path} is not a PDF (it does not start with %PDF). Give a PDF file.")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(
                f"{path} is encrypted (it needs a password to open): decrypt it first "
                "(e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) and read out.pdf."
            ) from None
        raise InputError(f"{path} is damaged or not a PDF PDFium can open ({exc}).") from None


def _info(pdf: Any, path: Path) -> BookInfo:
    meta = {k: clean(v or "").strip() for k, v in pdf.get_metadata_dict().items()}
    lang = ""
    try:
        raw = _Pdfium().raw
        n = raw.FPDFCatalog_GetLanguage(pdf.raw, None, 0)
        if n > 2:
            buf = (ctypes.c_ushort * (n // 2))()
            raw.FPDFCatalog_GetLanguage(pdf.raw, buf, n)
            lang = bytes(buf).decode("utf-16-le", "replace").rstrip("\x00")
    except (AttributeError, OSError):  # an older PDFium
        lang = ""
    return BookInfo(
        title=squash(meta.get("Title", "")) or title_from_name(path),
        author=squash(meta.get("Author", "")),
        description=squash(meta.get("Subject", "")),
        language=language_tag(lang) or "fr",
        source=path.name,
    )


def _outline(pdf: Any, first: int, last: int) -> list[tuple[str, int, float | None]]:
    """Top-level bookmarks in the page range: (title, page index, top y or None)."""
    try:
        marks = list(pdf.get_toc(max_depth=2))
    except Exception:  # noqa: BLE001 - a broken outline is no outline
        return []
    tops = [b for b in marks if b.level == 0]
    if len(tops) == 1 and len(marks) > 1:
        tops = [b for b in marks if b.level == 1]
    out: list[tuple[str, int, float | None]] = []
    for b in tops:
        dest = b.get_dest()
        index = dest.get_index() if dest is not None else None
        if index is None or not first <= index <= last:
            continue
        y: float | None = None
        try:
            _, view = dest.get_view()
            if len(view) >= 2 and view[1]:
                y = float(view[1])
        except Exception:  # noqa: BLE001
            y = None
        title = squash(b.get_title() or "")
        if title:
            out.append((title, index, y))
    return out


def _page_lines(pdf: Any, first: int, last: int) -> tuple[list[list[Line]], list[int]]:
    """Each page's lines (in no particular order yet), and the pages that are only images."""
    reader = _Pdfium()
    pages: list[list[Line]] = []
    scanned: list[int] = []
    for index in range(first, last + 1):
        page = pdf[index]
        textpage = page.get_textpage()
        glyphs = dedupe(reader.glyphs(textpage.raw))
        textpage.close()
        if any(g.ch.isalnum() for g in glyphs):
            pages.append([make_line(index, run) for run in _merge_runs(_runs(glyphs))])
        else:
            if _has_images(page):
                scanned.append(index + 1)
            pages.append([])
        page.close()
    return pages, scanned


def _has_images(page: Any) -> bool:
    raw = _pdfium("raw")
    try:
        return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    except Exception:  # noqa: BLE001
        return False


# --- layout -------------------------------------------------------------------------------


def body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def drop_running(pages: list[list[Line]], size: float) -> None:
    """Lines repeated at the same place on nearby pages (running heads, footers; numbers
    masked) and bare page numbers at a page's top or bottom are not read."""
    keys: dict[tuple[str, int], set[int]] = defaultdict(set)
    zones: list[list[Line]] = []
    for lines in pages:
        ordered = sorted(lines, key=lambda ln: -ln.base)
        zone = ordered[:RUNNING_ZONE] + ordered[-RUNNING_ZONE:] if len(ordered) > 1 else ordered
        zones.append(zone)
        for line in zone:
            keys[_running_key(line)].add(line.page)
    for zone in zones:
        for n, line in enumerate(zone):
            if line.size > 1.1 * size:
                continue
            key = _running_key(line)
            near = keys[key] | keys[(key[0], key[1] - 1)] | keys[(key[0], key[1] + 1)]
            extreme = n in (0, len(zone) - 1)  # the page's first or last line
            if (key[0] and _neighbours(near)) or (extreme and PAGE_NUMBER_RE.match(line.text)):
                line.kind = "running"


def _neighbours(pages: set[int]) -> bool:
    """Two of these pages are next to each other, or one apart (heads alternating on left
    and right pages): a running head, not a line of the text that happens to recur."""
    ordered = sorted(pages)
    return any(0 < b - a <= 2 for a, b in zip(ordered, ordered[1:], strict=False))


def _running_key(line: Line) -> tuple[str, int]:
    """The line's words with numbers masked, and its height on the page (4 pt steps)."""
    return fold(re.sub(r"\d+", "#", line.text)), round(line.base / 4)


def order_columns(lines: list[Line]) -> list[Line]:
    """A page's lines in reading order: top to bottom, and a two-column page column by
    column between the lines that span both."""
    body = [ln for ln in lines if ln.kind != "running"]
    if not body:
        return []
    left, right = min(ln.x0 for ln in body), max(ln.x1 for ln in body)
    gutter = _gutter(body, left, right)
    if gutter is None:
        for ln in body:
            ln.col, ln.col_left, ln.col_right = 0, left, right
        return sorted(body, key=lambda ln: -ln.base)
    spanning = sorted((ln for ln in body if ln.x0 < gutter < ln.x1), key=lambda ln: -ln.base)
    cols = [ln for ln in body if not ln.x0 < gutter < ln.x1]
    edges = {
        0: (left, max((ln.x1 for ln in cols if ln.x1 <= gutter), default=gutter)),
        1: (min((ln.x0 for ln in cols if ln.x0 >= gutter), default=gutter), right),
    }
    out: list[Line] = []
    bands = [*(ln.base for ln in spanning), float("-inf")]
    top = float("inf")
    for i, limit in enumerate(bands):
        for c in (0, 1):
            band = [ln for ln in cols if limit < ln.base < top and (ln.x1 <= gutter) == (c == 0)]
            for ln in sorted(band, key=lambda ln: -ln.base):
                ln.col, (ln.col_left, ln.col_right) = c, edges[c]
                out.append(ln)
        if i < len(spanning):
            span = spanning[i]
            span.col, span.col_left, span.col_right = 0, left, right
            out.append(span)
            top = span.base
    return out


def _gutter(lines: list[Line], left: float, right: float) -> float | None:
    """The x of an empty vertical strip between two columns of text, if there is one."""
    if len(lines) < 6:
        return None
    width = right - left
    best: tuple[int, float] | None = None
    x = left + 0.3 * width
    while x <= left + 0.7 * width:
        crossing = sum(1 for ln in lines if ln.x0 < x - 1 < ln.x1 or ln.x0 < x + 1 < ln.x1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2.0
    if best is None or best[0] > 0.1 * len(lines):
        return None
    x = best[1]
    lefts = [ln for ln in lines if ln.x1 <= x]
    rights = [ln for ln in lines if ln.x0 >= x]
    if len(lefts) < 3 or len(rights) < 3:
        return None
    lo, hi = min(ln.base for ln in lefts), max(ln.base for ln in lefts)
    beside = sum(1 for ln in rights if lo <= ln.base <= hi)
    return x if beside >= 3 else None


def find_notes(columns: list[list[Line]], size: float) -> list[list[Line]]:
    """Footnotes at the foot of each column: from a line that opens with a number down to
    the column's end, every line smaller than the text above it. Lines just above that,
    as small, continue the last note of the page before. Returns each note's lines."""
    notes: list[list[Line]] = []
    for col in columns:
        found = _note_start(col, size)
        if found is None:  # no note opens here; the page before's may still end this column
            head = [x for x in col if x.kind == "body"]
            k, ref = len(col), body_size([head]) if head else size
        else:
            k, ref = found
        j = k
        while j > 0 and col[j - 1].kind == "body" and col[j - 1].size < NOTE_SIZE * ref:
            j -= 1
        if j < k and notes and notes[-1][-1].page == col[0].page - 1:
            for ln in col[j:k]:
                ln.kind = "note"
            notes[-1] += col[j:k]
        for ln in col[k:]:
            if ln.kind != "body":
                continue
            ln.kind = "note"
            lead = _note_lead(ln)
            if lead is not None and ln is not col[k] and not _follows(notes[-1][0].lead, ln):
                lead = None  # "1920. D'après…" inside a note is no new note
            if lead is not None:
                ln.lead, ln.lead_end = lead
                ln.marks = [mk for mk in ln.marks if mk.start >= ln.lead_end]
                notes.append([ln])
            else:
                notes[-1].append(ln)
    return notes


def _follows(previous: str | None, line: Line) -> bool:
    """A line inside a note region opens the next note: its number is raised, or follows."""
    lead = _note_lead(line)
    if lead is None:
        return False
    if any(mk.start == 0 and mk.strong for mk in line.marks):
        return True
    return bool(previous and previous.isdigit() and lead[0] == str(int(previous) + 1))


def _note_start(col: list[Line], size: float) -> tuple[int, float] | None:
    """The first line of a column's footnotes, and the size of the text above them."""
    for k, ln in enumerate(col):
        if ln.kind != "body" or _note_lead(ln) is None:
            continue
        head = [x for x in col[:k] if x.kind == "body"]
        ref = body_size([head]) if head else size
        if all(x.size < NOTE_SIZE * ref for x in col[k:] if x.kind == "body"):
            return k, ref
    return None


def _note_lead(line: Line) -> tuple[str, int] | None:
    """'¹Le traité…', '1 Le traité…', '1. Le traité…': the number opening a footnote
    (raised, glued to its first word, or before a capital), and where its text starts."""
    m = MARKER_RE.match(line.text)
    if not m:
        return None
    rest = line.text[m.end() :]
    raised = any(mk.start == 0 and mk.strong for mk in line.marks)
    spaced = re.match(r"^[.)]?\s+(?=[A-ZÀ-ÖØ-Þ«\"(])", rest)
    if raised or spaced:
        return m.group(1), m.end() + (spaced.end() if spaced else len(rest) - len(rest.lstrip()))
    return None


def find_headings(lines: list[Line]) -> None:
    """Lines larger than the text of their page, or bold lines on their own, are headings;
    their levels follow their styles (size relative to the page's text, weight), largest
    first."""
    per_page: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        if ln.kind == "body":
            per_page[ln.page].append(ln)
    whole = body_size([[ln for ln in lines if ln.kind == "body"]])
    sizes = {  # a page of a few lines (a title page) is measured against the book's text
        page: body_size([group]) if sum(len(x.text) for x in group) >= PAGE_TEXT else whole
        for page, group in per_page.items()
    }
    body_bold = _mostly_bold(lines)
    styles: dict[int, tuple[float, bool]] = {}
    for i, ln in enumerate(lines):
        if ln.kind != "body" or len(ln.text) > HEADING_MAX_CHARS:
            continue
        if not any(c.isalpha() for c in ln.text):
            if _goes_on(lines, i):  # "1920" under a title, "(2)" under a bold heading
                ln.kind = "heading"
                styles[id(ln)] = styles[id(lines[i - 1])]
            continue  # else a number alone: a page number or a figure, not a heading
        ratio = ln.size / sizes[ln.page]
        big = ratio >= HEADING_SIZE
        alone = ln.bold and not body_bold and ratio >= 0.98 and _alone(lines, i)
        if big or alone:
            ln.kind = "heading"
            styles[id(ln)] = (round(ratio * 20) / 20, ln.bold)
    ranked = sorted(set(styles.values()), key=lambda s: (-s[0], not s[1]))
    for ln in lines:
        if ln.kind == "heading":
            ln.level = ranked.index(styles[id(ln)]) + 1


def _goes_on(lines: list[Line], i: int) -> bool:
    """Line i (no letters, so no weight to compare) continues the heading just above it:
    the same size, on the same page, at a heading's line spacing."""
    prev = lines[i - 1] if i > 0 else None
    ln = lines[i]
    return (
        prev is not None
        and prev.kind == "heading"
        and prev.page == ln.page
        and abs(prev.size - ln.size) < 0.05 * ln.size
        and prev.base - ln.base < 2.0 * ln.size
    )


def _mostly_bold(lines: list[Line]) -> bool:
    chars = sum(len(ln.text) for ln in lines)
    return sum(len(ln.text) for ln in lines if ln.bold) > 0.5 * max(1, chars)


def _alone(lines: list[Line], i: int) -> bool:
    """A bold line is a heading when the lines around it are not bold and it ends its block."""
    prev = lines[i - 1] if i > 0 else None
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return (prev is None or not prev.bold or prev.page != lines[i].page) and (
        nxt is None or not nxt.bold
    )


def apply_outline(lines: list[Line], outline: list[tuple[str, int, float | None]]) -> None:
    """Marks the line each top-level bookmark points at as a chapter start."""
    for title, page, y in outline:
        on_page = [ln for ln in lines if ln.page == page and ln.kind in ("body", "heading")]
        target = next(
            (
                ln
                for ln in on_page
                if fold(ln.text)
                and (fold(title).startswith(fold(ln.text)) or fold(ln.text).startswith(fold(title)))
            ),
            None,
        )
        if target is None and y is not None:
            target = next((ln for ln in on_page if ln.base <= y + 1), None)
        if target is None and on_page:
            target = on_page[0]
        if target is not None and target.chapter is None:
            target.chapter = title


# --- notes, hyphens and paragraphs --------------------------------------------------------


def link_notes(lines: list[Line], notes: list[list[Line]]) -> dict[int, list[str]]:
    """For each body line (by index), the keys of the notes whose mark it holds. A mark
    tied to a note is taken out of the text; a note whose mark is not found follows the
    last body line of its page."""
    where: dict[int, list[str]] = defaultdict(list)
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, ln in enumerate(lines):
        if ln.kind == "body":
            by_page[ln.page].append(i)
    taken: list[tuple[int, Mark]] = []
    for n, note in enumerate(notes):
        page, number = note[0].page, note[0].lead or ""
        hit = _find_mark(lines, [*by_page.get(page, []), *by_page.get(page - 1, [])], number, taken)
        if hit is not None:
            taken.append(hit)
            where[hit[0]].append(f"pdf:{n}")
        elif by_page.get(page):
            where[by_page[page][-1]].append(f"pdf:{n}")
    for i, mk in sorted(taken, key=lambda t: (t[0], -t[1].start)):
        lines[i].text = lines[i].text[: mk.start] + lines[i].text[mk.end :]
    return where


def _find_mark(
    lines: list[Line], candidates: list[int], number: str, taken: list[tuple[int, Mark]]
) -> tuple[int, Mark] | None:
    """The first free mark with this number: a superscript first, else digits glued to a
    word; on the note's page first, else on the page before."""
    for strong in (True, False):
        for i in candidates:
            for mk in lines[i].marks:
                if mk.number == number and mk.strong == strong and (i, mk) not in taken:
                    return i, mk
    return None


def note_text(note: list[Line]) -> str:
    """A footnote's lines joined, without its number."""
    text = note[0].text[note[0].lead_end :].strip()
    for prev, ln in zip(note, note[1:], strict=False):
        text = _join(text, ln.text, prev.soft)
    return squash(text)


def dehyphenate(first: str, second: str, soft: bool) -> bool:
    """Whether a word broken at a line end is one word ('révolu|tion') rather than a
    compound keeping its hyphen ('socialistes-|démocrates', 'est-|elle'), by word
    frequency. Typst and LibreOffice mark both breaks with a soft hyphen; a hard hyphen is
    kept unless the joined word is clearly a word and the compound is not."""
    a = LETTERS_RE.search(first)
    b = LEADING_LETTERS_RE.match(second)
    if not a or not b:
        return soft
    left, right = a.group(0).lower(), b.group(0).lower()
    joined = zipf(left + right)
    compound = zipf(f"{left}-{right}")
    if not soft:
        return joined > 0 and joined >= compound + JOIN_MARGIN
    if (
        right in CLITICS
        and not second[b.end() : b.end() + 1].isalpha()
        and joined < UNCOMMON
        and zipf(left) >= COMMON
    ):
        return False  # an inversion: "est-elle", "dit-on", "celui-ci"
    if joined >= COMMON or (joined > 0 and joined >= compound - JOIN_MARGIN):
        return True
    return compound == 0


def _join(text: str, nxt: str, soft: bool) -> str:
    if not text:
        return nxt
    if soft:
        hyphen = "" if dehyphenate(text, nxt, True) else "-"
        return text + hyphen + nxt
    if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and nxt[:1].isalpha():
        return (text[:-1] if dehyphenate(text[:-1], nxt, False) else text) + nxt
    return text + " " + nxt


def _fits(prev: Line, nxt: Line) -> bool:
    """The next line's first word would have fitted at the end of this one: the line was
    ended on purpose (a paragraph's last line)."""
    room = prev.col_right - prev.x1
    return nxt.first_word + 0.35 * nxt.size < room


def _pitches(lines: list[Line]) -> dict[tuple[int, int], float]:
    """The usual distance between two lines of a paragraph, per page and column."""
    gaps: dict[tuple[int, int], list[float]] = defaultdict(list)
    for a, b in zip(lines, lines[1:], strict=False):
        if (
            a.kind == b.kind == "body"
            and a.page == b.page
            and a.col == b.col
            and abs(a.size - b.size) < 0.5
            and 0.8 * a.size < a.base - b.base < 2.5 * a.size
        ):
            gaps[(a.page, a.col)].append(a.base - b.base)
    every = [g for values in gaps.values() for g in values]
    usual = statistics.median(every) if every else 0.0
    return defaultdict(lambda: usual, {k: statistics.median(v) for k, v in gaps.items()})


def _justified(lines: list[Line]) -> set[tuple[int, int]]:
    """The (page, column)s whose lines mostly end at the right edge."""
    rooms: dict[tuple[int, int], list[float]] = defaultdict(list)
    for ln in lines:
        if ln.kind == "body":
            rooms[(ln.page, ln.col)].append((ln.col_right - ln.x1) / ln.size)
    return {k for k, v in rooms.items() if len(v) >= 4 and statistics.median(v) < FULL_LINE}


def paragraphs(lines: list[Line]) -> list[tuple[list[Line], str]]:
    """Body lines grouped into paragraphs (headings alone): (lines, 'p' | 'h')."""
    pitches = _pitches(lines)
    justified = _justified(lines)
    groups: list[tuple[list[Line], str]] = []
    prev: Line | None = None
    for ln in lines:
        if ln.kind == "heading":
            if (
                groups
                and groups[-1][1] == "h"
                and prev is not None
                and prev.kind == "heading"
                and prev.level == ln.level
                and ln.chapter is None
                and prev.page == ln.page
                and prev.base - ln.base < 2.0 * ln.size
            ):
                groups[-1][0].append(ln)
            else:
                groups.append(([ln], "h"))
            prev = ln
            continue
        if ln.kind != "body":
            continue
        pitch = pitches[(ln.page, ln.col)] or 1.2 * ln.size
        if (
            prev is None
            or prev.kind == "heading"
            or ln.chapter is not None
            or _breaks(prev, ln, pitch, (prev.page, prev.col) in justified)
        ):
            groups.append(([ln], "p"))
        else:
            groups[-1][0].append(ln)
        prev = ln
    return groups


def _breaks(prev: Line, ln: Line, pitch: float, justified: bool) -> bool:
    """Whether line `ln` starts a paragraph after `prev`: a wider gap, an indent, centred
    lines, room left for its first word, or (justified text) a sentence ending short of
    the edge."""
    if prev.soft:
        return False
    if (
        justified
        and ENDS_SENTENCE_RE.search(prev.text)
        and STARTS_UPPER_RE.match(ln.text)
        and prev.col_right - prev.x1 > FULL_LINE * prev.size
    ):
        return True
    same_flow = prev.page == ln.page and prev.col == ln.col
    if same_flow and (prev.base - ln.base > pitch + PARAGRAPH_GAP * ln.size or ln.base > prev.base):
        return True
    indent = INDENT * ln.size
    if ln.x0 > ln.col_left + indent and (not same_flow or ln.x0 > prev.x0 + indent):
        return True
    if same_flow and _centered(prev) and _centered(ln):  # a title page's lines
        return True
    return _fits(prev, ln)


def _centered(line: Line) -> bool:
    left, right = line.x0 - line.col_left, line.col_right - line.x1
    return left > 2 * line.size and abs(left - right) < 0.5 * line.size


def read(path: Path, pages: tuple[int, int] | None = None) -> Source:
    """The chapters of a text PDF; `pages` (1-based, inclusive) reads only that range."""
    pdf = _open(path)
    try:
        count = len(pdf)
        if count == 0:
            raise InputError(f"{path} has no pages.")
        first, last = (pages[0] - 1, pages[1] - 1) if pages else (0, count - 1)
        if pages and not (0 <= first <= last < count):
            raise InputError(
                f"--pages {pages[0]}-{pages[1]}: {path} has {count} page(s); give a range "
                f"within 1-{count}."
            )
        info = _info(pdf, path)
        # Two pages on either side of a range: running heads show by repeating.
        lo, hi = max(0, first - 2), min(count - 1, last + 2)
        page_lines, scanned = _page_lines(pdf, lo, hi)
        outline = _outline(pdf, first, last)
        pdf_labels = {i: _pdf_label(pdf, i) for i in range(lo, hi + 1)}
    finally:
        pdf.close()
    drop_running(page_lines, body_size(page_lines))
    labels = page_labels(page_lines, pdf_labels)
    page_lines = page_lines[first - lo : last - lo + 1]
    scanned = [n for n in scanned if first < n <= last + 1]
    if not any(page_lines):
        if scanned:
            raise InputError(
                f"{path} has no text layer (its pages are images: a scan): {OCR_HINT}."
            )
        raise InputError(f"{path} has no text to read (empty pages, or text drawn as shapes).")
    warnings = []
    if scanned:
        listed = ", ".join(map(str, scanned[:10])) + ("…" if len(scanned) > 10 else "")
        warnings.append(
            f"{path.name}: page(s) {listed} have no text layer (scanned?) and are skipped; "
            f"to read them, {OCR_HINT}."
        )
    ordered: list[Line] = []
    columns: list[list[Line]] = []
    for lines in page_lines:
        page_order = order_columns(lines)
        ordered += page_order
        for c in (0, 1):
            col = [ln for ln in page_order if ln.col == c]
            if col:
                columns.append(col)
    size = body_size([[ln for ln in ordered if ln.kind == "body"]])
    notes = find_notes(columns, size)
    find_headings(ordered)
    apply_outline(ordered, outline)
    refs = link_notes(ordered, notes)
    starts = page_starts(ordered, labels)
    sections = _sections(ordered, notes, refs, info, starts)
    return Source(info, tuple(sections), warnings=tuple(warnings))


def _pdf_label(pdf: Any, index: int) -> str:
    """The PDF's own label of a page (/PageLabels), '' when it has none."""
    try:
        return squash(pdf.get_page_label(index) or "")
    except Exception:  # noqa: BLE001 - no labels, or an older PDFium
        return ""


def page_labels(pages: list[list[Line]], pdf_labels: dict[int, str]) -> dict[int, str]:
    """Each page's label, by page index: the number printed on it (a page-number line
    dropped as running; a number at the edge of a running head when the pages around agree
    with it), else the PDF's page label, else counted from the nearest printed number,
    else its place in the file (index + 1)."""
    bare: dict[int, str] = {}
    edge: dict[int, int] = {}
    for lines in pages:
        for ln in lines:
            if ln.kind != "running":
                continue
            if PAGE_NUMBER_RE.match(ln.text) and ln.page not in bare:
                m = PRINTED_NUMBER_RE.search(ln.text.lower().replace("page", "").replace("p.", ""))
                if m and (m.group(1).isdigit() or ROMAN_RE.match(m.group(1).lower())):
                    bare[ln.page] = m.group(1).lower()
            elif (m := EDGE_NUMBER_RE.search(ln.text)) is not None:
                edge.setdefault(ln.page, int(m.group(1) or m.group(2)))
    printed = dict(bare)
    offsets = {i: int(v) - i for i, v in bare.items() if v.isdigit()}
    for i, number in edge.items():
        known = {**{j: n - j for j, n in edge.items()}, **offsets}  # page -> number - page
        near = {known[j] for j in (i - 2, i - 1, i + 1, i + 2) if j in known}
        if i not in printed and number - i in near:
            printed[i] = str(number)
            offsets[i] = number - i
    labels: dict[int, str] = {}
    for index in sorted(pdf_labels):
        if index in printed:
            labels[index] = printed[index]
        elif pdf_labels.get(index):
            labels[index] = pdf_labels[index]
        else:
            nearest = min(offsets, key=lambda j: (abs(j - index), j), default=None)
            guess = index + offsets[nearest] if nearest is not None else 0
            labels[index] = str(guess) if guess >= 1 else str(index + 1)
    return labels


def page_starts(lines: list[Line], labels: dict[int, str]) -> dict[int, str]:
    """id() of each page's first line read (body text or heading) -> the page's label."""
    starts: dict[int, str] = {}
    seen: set[int] = set()
    for ln in lines:
        if ln.kind in ("body", "heading") and ln.page not in seen:
            seen.add(ln.page)
            starts[id(ln)] = labels.get(ln.page, str(ln.page + 1))
    return starts


def _sections(
    lines: list[Line],
    notes: list[list[Line]],
    refs: dict[int, list[str]],
    info: BookInfo,
    starts: dict[int, str],
) -> list[Section]:
    index = {id(ln): i for i, ln in enumerate(lines)}
    blocks: list[Block] = []
    for group, kind in paragraphs(lines):
        text = group[0].text
        pages = [(0, starts[id(group[0])])] if id(group[0]) in starts else []
        for prev, ln in zip(group, group[1:], strict=False):
            joined = _join(text, ln.text, prev.soft)
            if id(ln) in starts:  # a page begins with this line: at its first word
                before = len(text.split())
                glued = not joined.startswith(text + " ")  # its first word ends the last one
                pages.append((before - 1 if glued and before else before, starts[id(ln)]))
            text = joined
        keys = [key for ln in group for key in refs.get(index[id(ln)], [])]
        level = group[0].level if kind == "h" else 0
        blocks.append(Block(squash(text), level, keys, group[0].chapter, pages))
    used = {key for b in blocks for key in b.refs}
    table = {
        f"pdf:{n}": Note(lead if (lead := note[0].lead or "").isdigit() else "", note_text(note))
        for n, note in enumerate(notes)
        if f"pdf:{n}" in used
    }
    return assemble(blocks, table, info.title, front=(info.title, info.author))
