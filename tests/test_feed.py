"""`audiobook feed` on real builds: the feed parses in feedparser and podcastparser, escapes
what it must, keeps guids and existing items stable, and has one item per chapter on demand."""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import podcastparser
import pytest

from audiobook.errors import InputError
from audiobook.feed import ChannelInfo, item_guid, podcast_guid, write_feed
from audiobook.pipeline import BuildOptions, BuildResult, build

BASE = "https://example.org/pod/"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
SPECIAL_TITLE = 'Poèmes & chansons « 1 < 2 » "dits" l\'été'

TEXT = """# Premier chapitre

Il était une fois une petite maison au bord de la rivière. Les enfants y jouaient chaque été.

# Second chapitre

L'hiver arriva très tôt cette année-là. La neige couvrit les champs et les chemins.
"""

BOOK_TOML = """title = "Poèmes & chansons « 1 < 2 » \\"dits\\" l'été"
author = "Zoé & Cie"
date = "1920-12-09"
description = "Deux chapitres, pour essayer."
source = "texte.md"
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A web root: the feeds go here, the books in site/out."""
    root = tmp_path_factory.mktemp("site")
    (root / "src").mkdir()
    (root / "src" / "texte.md").write_text(TEXT, encoding="utf-8")
    (root / "src" / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    (root / "src" / "sans-date.md").write_text(TEXT, encoding="utf-8")
    return root


def build_into(src: Path, out_root: Path, cache: Path) -> BuildResult:
    return build(src, BuildOptions(output_root=out_root, engine="espeak", cache_dir=cache))


@pytest.fixture(scope="module")
def dated(site: Path) -> BuildResult:
    """A book.toml with a date and a title full of characters XML must escape."""
    return build_into(site / "src" / "book.toml", site / "out", site / "cache")


@pytest.fixture(scope="module")
def undated(site: Path) -> BuildResult:
    """A bare Markdown text: no date, no author."""
    return build_into(site / "src" / "sans-date.md", site / "out", site / "cache")


def manifest(result: BuildResult) -> dict:
    return json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))


def items(feed: Path) -> list[ET.Element]:
    return ET.parse(feed).getroot().findall("channel/item")


def item_xml(feed: Path, guid: str) -> str:
    """The exact text of the <item> holding this guid."""
    text = feed.read_text(encoding="utf-8")
    found = [m.group(0) for m in re.finditer(r"<item>.*?</item>", text, re.S) if guid in m.group(0)]
    assert len(found) == 1
    return found[0]


def test_feedparser_reads_the_book_item(site: Path, dated: BuildResult) -> None:
    feed = site / "feed.xml"
    result = write_feed([dated.out_dir], BASE, feed)
    slug = dated.out_dir.name
    raw = feed.read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<rss ')
    assert b'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"' in raw
    assert b'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in raw
    assert result.items == 1 and result.written == (item_guid(slug),)
    assert any("no cover" in w for w in result.warnings)

    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == SPECIAL_TITLE
    assert parsed.feed.author == "Zoé & Cie"
    assert [t.term for t in parsed.feed.tags] == ["Arts", "Books"]
    entry = parsed.entries[0]
    assert entry.title == SPECIAL_TITLE
    assert entry.id == f"audiobook:{slug}" and not entry.guidislink
    enclosure = entry.enclosures[0]
    book_mp3 = dated.book_path
    assert enclosure.href == f"{BASE}out/{slug}/{slug}.mp3"
    assert enclosure.length == str(os.stat(book_mp3).st_size)
    assert enclosure.type == "audio/mpeg"
    assert entry.itunes_duration == str(round(manifest(dated)["duration_ms"] / 1000))
    assert entry.published_parsed[:3] == (1920, 12, 9)
    # feedparser keeps one podcast:chapters and only the last podcast:transcript
    assert entry.podcast_chapters == {
        "url": f"{BASE}out/{slug}/chapters.json",
        "type": "application/json+chapters",
    }
    item = items(feed)[0]
    transcripts = [t.attrib for t in item.findall(f"{PODCAST}transcript")]
    assert transcripts == [
        {"url": f"{BASE}out/{slug}/transcript.vtt", "type": "text/vtt", "language": "fr"},
        {
            "url": f"{BASE}out/{slug}/transcript.srt",
            "type": "application/x-subrip",
            "language": "fr",
        },
    ]


def test_podcastparser_reads_the_book_item(site: Path, dated: BuildResult) -> None:
    feed = site / "feed-pp.xml"
    write_feed([dated.out_dir], BASE, feed)
    slug = dated.out_dir.name
    parsed = podcastparser.parse(BASE + feed.name, io.BytesIO(feed.read_bytes()))
    assert parsed["title"] == SPECIAL_TITLE
    episode = parsed["episodes"][0]
    assert episode["title"] == SPECIAL_TITLE
    assert episode["guid"] == f"audiobook:{slug}"
    assert episode["enclosures"] == [
        {
            "url": f"{BASE}out/{slug}/{slug}.mp3",
            "file_size": os.stat(dated.book_path).st_size,
            "mime_type": "audio/mpeg",
        }
    ]
    assert episode["total_time"] == round(manifest(dated)["duration_ms"] / 1000)
    assert episode["published"] == dt.datetime(1920, 12, 9, tzinfo=dt.UTC).timestamp()
    # podcastparser 0.6.11 maps podcast:chapters/transcript only under the namespace's old
    # github.com URI, so it sees none here; the elements are checked with ElementTree.
    item = items(feed)[0]
    assert item.find(f"{PODCAST}chapters").get("url") == f"{BASE}out/{slug}/chapters.json"
    assert len(item.findall(f"{PODCAST}transcript")) == 2


def test_guid_and_undated_pubdate_survive_a_rebuild(site: Path, tmp_path: Path) -> None:
    src = site / "src" / "sans-date.md"
    first = build_into(src, tmp_path / "out", site / "cache")
    feed = tmp_path / "feed.xml"
    write_feed([first.out_dir], BASE, feed)
    before = items(feed)[0]
    rebuilt = build_into(src, tmp_path / "out", site / "cache")
    later = first.book_path.stat().st_mtime + 86_400
    os.utime(rebuilt.book_path, (later, later))  # a rebuild on another day
    result = write_feed([rebuilt.out_dir], BASE, feed)
    after = items(feed)
    assert len(after) == 1 and result.written == ("audiobook:sans-date",)
    assert after[0].findtext("guid") == before.findtext("guid") == "audiobook:sans-date"
    assert after[0].findtext("pubDate") == before.findtext("pubDate"), "kept from the feed"


def test_appending_a_book_keeps_the_first_item_byte_for_byte(
    site: Path, dated: BuildResult, undated: BuildResult
) -> None:
    feed = site / "feed-two.xml"
    write_feed([dated.out_dir], BASE, feed)
    first = item_xml(feed, item_guid(dated.out_dir.name))
    result = write_feed([undated.out_dir], BASE, feed)
    assert result.kept == (item_guid(dated.out_dir.name),)
    assert result.written == (item_guid(undated.out_dir.name),)
    assert item_xml(feed, item_guid(dated.out_dir.name)) == first
    guids = [i.findtext("guid") for i in items(feed)]
    assert guids == ["audiobook:sans-date", f"audiobook:{dated.out_dir.name}"], "newest first"
    channel = ET.parse(feed).getroot().find("channel")
    assert channel.findtext("title") == SPECIAL_TITLE, "the channel keeps its first values"
    assert channel.find(f"{PODCAST}medium") is None, "two books: not one audiobook"
    assert feedparser.parse(feed.read_bytes()).bozo == 0
    again = feed.read_bytes()
    write_feed([undated.out_dir, dated.out_dir], BASE, feed)
    assert feed.read_bytes() == again, "regenerating unchanged books changes nothing"


def test_per_chapter_items(site: Path, dated: BuildResult) -> None:
    feed = site / "feed-chapters.xml"
    result = write_feed([dated.out_dir], BASE, feed, per_chapter=True)
    slug = dated.out_dir.name
    chapters = manifest(dated)["chapters"]
    assert result.items == len(chapters) == 2
    elements = items(feed)
    by_episode = {int(e.findtext(f"{ITUNES}episode")): e for e in elements}
    assert sorted(by_episode) == [1, 2]
    for ch in chapters:
        e = by_episode[ch["index"]]
        assert e.findtext("guid") == f"audiobook:{slug}:{ch['index']:02d}"
        enclosure = e.find("enclosure")
        assert enclosure.get("url") == f"{BASE}out/{slug}/{ch['file']}"
        assert enclosure.get("length") == str(os.stat(dated.out_dir / ch["file"]).st_size)
        assert e.findtext("title") == f"{SPECIAL_TITLE} — {ch['title']}"
        assert e.findtext(f"{ITUNES}duration") == str(round(ch["duration_ms"] / 1000))
        assert e.find(f"{PODCAST}chapters") is None
    first, second = (
        email.utils.parsedate_to_datetime(by_episode[n].findtext("pubDate")) for n in (1, 2)
    )
    assert second - first == dt.timedelta(minutes=1), "chapters are dated in reading order"
    parsed = feedparser.parse(feed.read_bytes())
    assert parsed.bozo == 0
    assert sorted(e.itunes_episode for e in parsed.entries) == ["1", "2"]
    pp = podcastparser.parse(BASE + feed.name, io.BytesIO(feed.read_bytes()))
    assert sorted(e["number"] for e in pp["episodes"]) == [1, 2]


def test_urls_relative_to_the_output_root_when_the_feed_is_elsewhere(
    tmp_path: Path, dated: BuildResult
) -> None:
    feed = tmp_path / "feed.xml"
    write_feed([dated.out_dir], "https://cdn.example.org/livres", feed)
    slug = dated.out_dir.name
    enclosure = items(feed)[0].find("enclosure")
    assert enclosure.get("url") == f"https://cdn.example.org/livres/{slug}/{slug}.mp3"


def test_channel_overrides_and_cover(tmp_path: Path, dated: BuildResult) -> None:
    out = tmp_path / "out" / dated.out_dir.name
    shutil.copytree(dated.out_dir, out)
    (out / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    feed = tmp_path / "feed.xml"
    guid = podcast_guid("https://example.org/pod/feed.xml")
    result = write_feed(
        [out],
        BASE,
        feed,
        channel=ChannelInfo(
            title="Mes livres lus", category=("Arts", "Books"), explicit=True, podcast_guid=guid
        ),
    )
    assert result.warnings == ()
    channel = ET.parse(feed).getroot().find("channel")
    assert channel.findtext("title") == "Mes livres lus"
    assert channel.find(f"{ITUNES}image").get("href") == f"{BASE}out/{out.name}/cover.jpg"
    assert channel.findtext(f"{ITUNES}explicit") == "true"
    assert channel.findtext(f"{PODCAST}guid") == guid
    assert channel.findtext(f"{PODCAST}medium") == "audiobook"
    # the spec's own example: mp3s.nashownotes.com/pc20rss.xml
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )


@pytest.mark.parametrize("url", ["ftp://example.org/pod", "example.org/pod", "", "https://"])
def test_base_url_must_be_http(tmp_path: Path, dated: BuildResult, url: str) -> None:
    with pytest.raises(InputError) as err:
        write_feed([dated.out_dir], url, tmp_path / "feed.xml")
    assert str(err.value) == (
        "--base-url must be an http:// or https:// URL without query or fragment, "
        f"such as https://example.org/podcast/ (got {url!r})."
    )
    assert not (tmp_path / "feed.xml").exists()


def test_not_a_build_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="has no manifest.json"):
        write_feed([tmp_path], BASE, tmp_path / "feed.xml")
