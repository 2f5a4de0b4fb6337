"""`audiobook feed`: a podcast RSS 2.0 feed (iTunes and Podcasting 2.0 tags) for built books.

Rules, chosen so that a feed can be regenerated any number of times without podcast apps
seeing new episodes:

- Enclosure and companion-file URLs: for each output folder, if it lies inside the feed
  file's folder, URL = base_url + its path relative to the feed's folder (publish the feed's
  folder as base_url); otherwise URL = base_url + its path relative to the output folder's
  parent (publish output/ as base_url), e.g. https://host/pod/<slug>/<slug>.mp3.
- guid (isPermaLink="false"): "audiobook:<slug>" for a book, "audiobook:<slug>:NN" for its
  chapter NN. Never derived from file contents or times, so a rebuilt book keeps its guid.
- pubDate: the manifest date when it is an ISO date (midnight UTC; chapter NN gets NN-1
  minutes more so apps list chapters in reading order); otherwise the pubDate the item
  already has in the feed; otherwise the MP3's modification time.
- Updating: an existing feed is read back; items of books not given this time are kept as
  they are (byte for byte); a book given again replaces all of its items (book or
  chapters). Items are ordered by pubDate, newest first; equal dates keep insertion order
  (existing items first, then new ones in the order given).
- Channel values: ChannelInfo overrides, else the values the existing feed has, else the
  first book's manifest.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from .batch.report import REPORT, built_folders
from .errors import InputError
from .files import write_bytes
from .writers.manifest import GENERATED_BY, read_manifest

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ET.register_namespace("itunes", ITUNES_NS)
ET.register_namespace("podcast", PODCAST_NS)

MP3_MIME = "audio/mpeg"
CHAPTERS_MIME = "application/json+chapters"  # podcast:chapters spec
VTT_MIME = "text/vtt"
SRT_MIME = "application/x-subrip"  # podcast:transcript spec (older drafts: application/srt)
DEFAULT_CATEGORY = ("Arts", "Books")
GUID_PREFIX = "audiobook:"
# podcast:guid is a UUIDv5 of the feed URL in this namespace (podcast namespace, guid tag).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
CHAPTER_PUBDATE_STEP_MIN = 1
COVER_NAMES = ("cover.jpg", "cover.jpeg", "cover.png")
ISO_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?([T ].*)?$")
XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ChannelInfo:
    """Channel values that override the feed's and the first book's. None = not overridden.

    Defaults: title, description, language and author (else publisher) from the first
    book's manifest; category ("Arts", "Books"); explicit False; link base_url; image_url
    base_url + the book's cover.jpg/.png if the output folder has one; no podcast:guid
    (compute one with podcast_guid(feed_url) and pass it once: it is kept afterwards).
    category is (category,) or (category, subcategory) from Apple's list; image_url should
    be a 1400-3000 px square JPEG or PNG.
    """

    title: str | None = None
    description: str | None = None
    author: str | None = None
    image_url: str | None = None
    category: tuple[str, ...] | None = None
    explicit: bool | None = None
    language: str | None = None
    link: str | None = None
    podcast_guid: str | None = None


@dataclass(frozen=True)
class FeedResult:
    """What write_feed did: the feed's path, its item count, which guids it (re)wrote and
    which it kept untouched, and warnings worth showing (a missing cover, ...)."""

    path: Path
    items: int
    written: tuple[str, ...]
    kept: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Book:
    out_dir: Path
    slug: str
    manifest: dict[str, Any]


@dataclass
class _Item:
    guid: str
    published: dt.datetime
    element: ET.Element


def item_guid(slug: str, chapter_index: int | None = None) -> str:
    """The stable guid of a book's item (chapter_index None) or of its chapter item."""
    base = f"{GUID_PREFIX}{slug}"
    return base if chapter_index is None else f"{base}:{chapter_index:02d}"


def podcast_guid(feed_url: str) -> str:
    """The podcast:guid the Podcasting 2.0 spec derives from a feed URL (scheme and trailing
    slashes stripped, UUIDv5). Assign it once: keep it when the feed moves."""
    stripped = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, stripped))


def write_feed(
    out_dirs: Sequence[Path],
    base_url: str,
    feed_path: Path,
    *,
    per_chapter: bool = False,
    channel: ChannelInfo | None = None,
) -> FeedResult:
    """Write (or update) an RSS 2.0 podcast feed for built books, atomically, in UTF-8.

    out_dirs: output folders of `audiobook build` (each with manifest.json); base_url: the
    public http(s) URL the files are served under (see the module docstring for how file
    URLs are formed); feed_path: the feed file, whose folder must exist. One item per book,
    or with per_chapter one item per chapter file (with itunes:episode; without
    podcast:chapters, and without transcripts, whose times are those of the whole book).
    Book items link chapters.json (podcast:chapters) and transcript.vtt/.srt
    (podcast:transcript) when those files exist.

    Raises InputError for a bad base_url, a missing folder, manifest or MP3, or an existing
    feed that cannot be read back.
    """
    base = _check_base_url(base_url)
    books = _read_books(out_dirs, feed_path)
    feed_dir = feed_path.parent
    old_channel, old_items = _read_existing(feed_path)
    warnings: list[str] = []
    new_items: list[_Item] = []
    old_dates = {i.guid: i.published for i in old_items}
    for book in books:
        new_items += _book_items(book, base, feed_dir, per_chapter, old_dates)
    if per_chapter:
        warnings.append(
            "per-chapter items carry no podcast:transcript: transcript.vtt/.srt are timed "
            "on the whole book."
        )
    replaced = {b.slug for b in books}
    kept = [i for i in old_items if _slug_of(i.guid) not in replaced]
    items = sorted([*kept, *new_items], key=lambda i: -i.published.timestamp())
    values = _channel_values(books[0], base, feed_dir, old_channel, channel or ChannelInfo())
    if not values.get("image"):
        warnings.append(
            f"no cover ({', '.join(COVER_NAMES)}) in {books[0].out_dir}: the channel has no "
            "itunes:image, which Apple Podcasts requires."
        )
    book_slugs = {_slug_of(i.guid) for i in items}
    root = _rss(values, [i.element for i in items], single_book=len(book_slugs) == 1)
    write_bytes(feed_path, _serialize(root), durable=True)
    return FeedResult(
        path=feed_path,
        items=len(items),
        written=tuple(i.guid for i in new_items),
        kept=tuple(i.guid for i in kept),
        warnings=tuple(warnings),
    )


# --- inputs ---------------------------------------------------------------------------------


def _check_base_url(base_url: str) -> str:
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InputError(
            f"--base-url must be an http:// or https:// URL without query or fragment, "
            f"such as https://example.org/podcast/ (got {base_url!r})."
        )
    return base_url.strip().rstrip("/") + "/"


def _read_books(out_dirs: Sequence[Path], feed_path: Path) -> list[_Book]:
    if not out_dirs:
        raise InputError("give at least one output folder to put in the feed.")
    if not feed_path.parent.is_dir():
        raise InputError(f"{feed_path.parent} does not exist; create it or choose another -o.")
    books = [_read_book(d) for d in book_folders(out_dirs)]
    slugs = [b.slug for b in books]
    if len(set(slugs)) != len(slugs):
        raise InputError(f"the same book is given twice ({', '.join(sorted(set(slugs)))}).")
    return books


def book_folders(out_dirs: Sequence[Path]) -> list[Path]:
    """Each book folder as given; a batch's OUT (a batch-report.json, no manifest.json)
    stands for every book it built."""
    folders: list[Path] = []
    for d in out_dirs:
        is_batch = (d / REPORT).is_file() and not (d / "manifest.json").exists()
        folders += built_folders(d) if is_batch else [d]
    return folders


def _read_book(out_dir: Path) -> _Book:
    manifest = read_manifest(out_dir)
    for name in [manifest["file"], *(c["file"] for c in manifest["chapters"])]:
        if not (out_dir / name).is_file():
            raise InputError(f"{out_dir / name} is listed in manifest.json but missing.")
    return _Book(out_dir, Path(str(manifest["file"])).stem, manifest)


def _slug_of(guid: str) -> str | None:
    if not guid.startswith(GUID_PREFIX):
        return None
    return guid[len(GUID_PREFIX) :].split(":", 1)[0]


def _read_existing(feed_path: Path) -> tuple[dict[str, Any], list[_Item]]:
    """Channel values and items of a feed this tool wrote before; nothing if there is none."""
    if not feed_path.exists():
        return {}, []
    try:
        root = ET.parse(feed_path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise InputError(
            f"{feed_path} exists but is not readable XML ({exc}); move it away or choose "
            "another -o."
        ) from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise InputError(f"{feed_path} is not an RSS feed; move it away or choose another -o.")
    items: list[_Item] = []
    for element in channel.findall("item"):
        guid = (element.findtext("guid") or "").strip()
        try:
            published = email.utils.parsedate_to_datetime(element.findtext("pubDate") or "")
        except (TypeError, ValueError):
            published = dt.datetime.fromtimestamp(0, dt.UTC)
        if published.tzinfo is None:
            published = published.replace(tzinfo=dt.UTC)
        items.append(_Item(guid, published, element))
    category = channel.find(f"{{{ITUNES_NS}}}category")
    image = channel.find(f"{{{ITUNES_NS}}}image")
    explicit = channel.findtext(f"{{{ITUNES_NS}}}explicit")
    values: dict[str, Any] = {
        "title": channel.findtext("title"),
        "description": channel.findtext("description"),
        "language": channel.findtext("language"),
        "author": channel.findtext(f"{{{ITUNES_NS}}}author"),
        "image": image.get("href") if image is not None else None,
        "category": _category_of(category) if category is not None else None,
        "explicit": explicit.strip().lower() in ("true", "yes") if explicit else None,
        "guid": channel.findtext(f"{{{PODCAST_NS}}}guid"),
    }
    return {k: v for k, v in values.items() if v not in (None, "")}, items


def _category_of(element: ET.Element) -> tuple[str, ...]:
    sub = element.find(f"{{{ITUNES_NS}}}category")
    names = [element.get("text", "")] + ([sub.get("text", "")] if sub is not None else [])
    return tuple(n for n in names if n)


# --- building -------------------------------------------------------------------------------


def _clean(text: object) -> str:
    """Text XML 1.0 can carry, with newlines that survive a parse unchanged."""
    return XML_INVALID_RE.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def _url(path: Path, out_dir: Path, feed_dir: Path, base: str) -> str:
    target = path.resolve()
    root = feed_dir.resolve()
    if not out_dir.resolve().is_relative_to(root):
        root = out_dir.resolve().parent
    return base + "/".join(quote(part, safe="") for part in target.relative_to(root).parts)


def _published(
    book: _Book, guid: str, mp3: Path, chapter: int, old_dates: dict[str, dt.datetime]
) -> dt.datetime:
    date = str(book.manifest.get("date") or "").strip()
    if ISO_DATE_RE.match(date):
        text = date if len(date) > 7 else date + "-01" * ((10 - len(date)) // 3)
        try:
            day = dt.datetime.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None:
            if day.tzinfo is None:
                day = day.replace(tzinfo=dt.UTC)
            return day + dt.timedelta(minutes=(chapter - 1) * CHAPTER_PUBDATE_STEP_MIN)
    if guid in old_dates:
        return old_dates[guid]
    return dt.datetime.fromtimestamp(int(mp3.stat().st_mtime), dt.UTC)


def _book_items(
    book: _Book, base: str, feed_dir: Path, per_chapter: bool, old_dates: dict[str, dt.datetime]
) -> list[_Item]:
    m = book.manifest
    title = _clean(m.get("title") or book.slug)
    description = _clean(m.get("description") or "") or title
    language = _clean(m.get("language") or "fr")
    out = book.out_dir
    if not per_chapter:
        mp3 = out / str(m["file"])
        guid = item_guid(book.slug)
        item = _item_element(
            title=title,
            description=description,
            url=_url(mp3, out, feed_dir, base),
            length=mp3.stat().st_size,
            guid=guid,
            published=_published(book, guid, mp3, 1, old_dates),
            duration_ms=float(m.get("duration_ms") or 0),
        )
        chapters_json = out / "chapters.json"
        if chapters_json.is_file():
            _sub(item, f"{{{PODCAST_NS}}}chapters").attrib.update(
                {"url": _url(chapters_json, out, feed_dir, base), "type": CHAPTERS_MIME}
            )
        for name, mime in (("transcript.vtt", VTT_MIME), ("transcript.srt", SRT_MIME)):
            if (out / name).is_file():
                _sub(item, f"{{{PODCAST_NS}}}transcript").attrib.update(
                    {
                        "url": _url(out / name, out, feed_dir, base),
                        "type": mime,
                        "language": language,
                    }
                )
        return [_Item(guid, _published(book, guid, mp3, 1, old_dates), item)]
    items: list[_Item] = []
    chapters = m["chapters"]
    for ch in chapters:
        n = int(ch["index"])
        mp3 = out / str(ch["file"])
        guid = item_guid(book.slug, n)
        published = _published(book, guid, mp3, n, old_dates)
        chapter_title = _clean(ch.get("title") or f"{n}")
        item = _item_element(
            title=f"{title} — {chapter_title}",
            description=f"{description} ({n}/{len(chapters)})",
            url=_url(mp3, out, feed_dir, base),
            length=mp3.stat().st_size,
            guid=guid,
            published=published,
            duration_ms=float(ch.get("duration_ms") or 0),
        )
        _sub(item, f"{{{ITUNES_NS}}}episode", str(n))
        items.append(_Item(guid, published, item))
    return items


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _item_element(
    *,
    title: str,
    description: str,
    url: str,
    length: int,
    guid: str,
    published: dt.datetime,
    duration_ms: float,
) -> ET.Element:
    item = ET.Element("item")
    _sub(item, "title", title)
    _sub(item, "description", description)
    _sub(item, "enclosure").attrib.update({"url": url, "length": str(length), "type": MP3_MIME})
    _sub(item, "guid", guid).set("isPermaLink", "false")
    _sub(item, "pubDate", email.utils.format_datetime(published))
    _sub(item, f"{{{ITUNES_NS}}}duration", str(round(duration_ms / 1000)))
    return item


def _channel_values(
    book: _Book, base: str, feed_dir: Path, old: dict[str, Any], override: ChannelInfo
) -> dict[str, Any]:
    m = book.manifest
    cover = next((book.out_dir / n for n in COVER_NAMES if (book.out_dir / n).is_file()), None)
    defaults: dict[str, Any] = {
        "title": m.get("title") or book.slug,
        "description": m.get("description") or m.get("title") or book.slug,
        "language": m.get("language") or "fr",
        "author": m.get("author") or m.get("publisher") or None,
        "image": _url(cover, book.out_dir, feed_dir, base) if cover else None,
        "category": DEFAULT_CATEGORY,
        "explicit": False,
        "guid": None,
    }
    given: dict[str, Any] = {
        "title": override.title,
        "description": override.description,
        "language": override.language,
        "author": override.author,
        "image": override.image_url,
        "category": override.category,
        "explicit": override.explicit,
        "guid": override.podcast_guid,
    }
    values = {k: given[k] if given[k] is not None else old.get(k, defaults[k]) for k in defaults}
    values["link"] = override.link or base
    return values


def _rss(values: dict[str, Any], items: list[ET.Element], *, single_book: bool) -> ET.Element:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", _clean(values["title"]))
    _sub(channel, "link", _clean(values["link"]))
    _sub(channel, "description", _clean(values["description"]))
    _sub(channel, "language", _clean(values["language"]))
    _sub(channel, "generator", GENERATED_BY)
    if values.get("author"):
        _sub(channel, f"{{{ITUNES_NS}}}author", _clean(values["author"]))
    if values.get("image"):
        _sub(channel, f"{{{ITUNES_NS}}}image").set("href", _clean(values["image"]))
    category = tuple(values["category"] or DEFAULT_CATEGORY)
    top = _sub(channel, f"{{{ITUNES_NS}}}category")
    top.set("text", _clean(category[0]))
    if len(category) > 1:
        _sub(top, f"{{{ITUNES_NS}}}category").set("text", _clean(category[1]))
    _sub(channel, f"{{{ITUNES_NS}}}explicit", "true" if values["explicit"] else "false")
    if values.get("guid"):
        _sub(channel, f"{{{PODCAST_NS}}}guid", _clean(values["guid"]))
    if single_book:  # "audiobook": one item per feed, or items that are its chapters
        _sub(channel, f"{{{PODCAST_NS}}}medium", "audiobook")
    channel.extend(items)
    if not any(e.tag.startswith(f"{{{PODCAST_NS}}}") for e in rss.iter()):
        rss.set("xmlns:podcast", PODCAST_NS)  # declared even when unused, for validators
    return rss


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
