"""--format web: index.html + player.js + player.css, driven in real Chromium (Debian's
/usr/bin/chromium through Playwright) from file:// and from a local static server, and
checked by axe-core. The book is a real espeak-ng build with hostile text in its titles
and sentences, a note, and an English span. Times are checked against transcript.vtt and
chapters.json (written by other writers from the same build)."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import webvtt

from audiobook.pipeline import BuildOptions, BuildResult, build

try:
    from playwright.sync_api import Browser, Page, sync_playwright

    HAVE_PLAYWRIGHT = True
except ImportError:  # pragma: no cover - CI installs it
    HAVE_PLAYWRIGHT = False

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("AUDIOBOOK_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(
    os.environ.get("AXE_CORE_JS", ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js")
)
# Without the first five, Chromium's connections are refused in the sandboxed test machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
]
SEEK_TOLERANCE_S = 0.05
SCREENSHOT_FOR_README = Path("/tmp/player.png")

HOSTILE_TITLE = "Le port & la mer <script> \"test\" 'x'"
CHAPTER_TITLES = ["Le port </script> & <b>", 'La fin "d\'un" jour']
SOURCES = {
    "un.txt": "Le vieux port sentait le sel & la mer. Les bateaux « rentraient » au soir, "
    "dit-il\n\n1 Une note de bas de page, avec <b>balise</b>.\n\nen souriant. Hands off "
    "Russia, criaient-ils.\n\nLa mer était grise < le ciel > tout ; personne ne parlait "
    "\"fort\" ni 'doux'. Puis la nuit tomba sur les quais, lentement, sans un bruit.\n",
    "deux.txt": "Il vint. Il vit. Il vainquit. Voici </script><script>alert(1)</script> fini.\n",
}
HINTS = '[[lang]]\ntext = "Hands off Russia"\nlang = "en"\nsay = "Hanndz off Reucha"\n'


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a TOML basic string here


@dataclass(frozen=True)
class Cue:
    start: float  # seconds in the book MP3
    end: float
    text: str


@dataclass(frozen=True)
class Book:
    result: BuildResult
    cues: list[Cue]  # one per sentence, from transcript.vtt
    chapter_starts: list[float]  # seconds, from chapters.json
    ids: list[str]  # the sentence elements of index.html, in document order

    @property
    def folder(self) -> Path:
        return self.result.out_dir

    def at(self, sentence_id: str) -> Cue:
        return self.cues[self.ids.index(sentence_id)]


class _Spans(HTMLParser):
    """Ids and text of the <span class="s"> sentence elements (which nest only lang spans)."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[str, str]] = []
        self._depth = 0
        self._id = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self._depth:
            self._depth += tag == "span"
        elif tag == "span" and a.get("class") == "s":
            self._depth, self._id, self._text = 1, a.get("id") or "", []

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "span":
            self._depth -= 1
            if not self._depth:
                self.spans.append((self._id, "".join(self._text)))

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._text.append(data)


def sentence_spans(page_html: str) -> list[tuple[str, str]]:
    parser = _Spans()
    parser.feed(page_html)
    return parser.spans


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    root = tmp_path_factory.mktemp("web")
    toml = f'title = {_toml_str(HOSTILE_TITLE)}\nauthor = "Anonyme & Cie"\nlanguage = "fr"\n'
    toml += 'hints = "hints.toml"\n'
    for (name, text), title in zip(SOURCES.items(), CHAPTER_TITLES, strict=True):
        (root / name).write_text(text, encoding="utf-8")
        toml += f'[[chapters]]\ntitle = {_toml_str(title)}\nsource = "{name}"\n'
    (root / "hints.toml").write_text(HINTS, encoding="utf-8")
    (root / "book.toml").write_text(toml, encoding="utf-8")
    result = build(
        root / "book.toml",
        BuildOptions(
            output_root=root / "out",
            engine="espeak",
            cache_dir=root / "cache",
            formats=("web", "vtt", "chapters"),
        ),
    )
    captions = webvtt.read(str(result.out_dir / "transcript.vtt")).captions
    cues = [
        Cue(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000, c.text)
        for c in captions
    ]
    chapters = json.loads((result.out_dir / "chapters.json").read_text("utf-8"))["chapters"]
    page_html = (result.out_dir / "index.html").read_text("utf-8")
    ids = [i for i, _ in sentence_spans(page_html)]
    assert len(ids) == len(cues), "one sentence element per transcript cue"
    return Book(result, cues, [c["startTime"] for c in chapters], ids)


# ---- the page as written


def test_writes_the_page_and_its_assets(book: Book) -> None:
    for name in ("index.html", "player.js", "player.css"):
        assert (book.folder / name).stat().st_size > 0
    page_html = (book.folder / "index.html").read_text("utf-8")
    assert page_html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert f'src="{book.result.book_path.name}"' in page_html
    assert "http://" not in page_html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page_html


def test_every_text_is_escaped(book: Book) -> None:
    page_html = (book.folder / "index.html").read_text("utf-8")
    # The only </script> and <script are the page's own two elements.
    assert page_html.count("</script>") == 2
    assert len(re.findall(r"<script\b", page_html)) == 2
    assert "<b>" not in page_html
    m = re.search(r'<script type="application/json" id="book-data">(.*?)</script>', page_html)
    assert m
    assert not set(m.group(1)) & set("<>&")
    data = json.loads(m.group(1))
    assert data["title"] == HOSTILE_TITLE
    assert [c["title"] for c in data["chapters"]] == CHAPTER_TITLES
    assert data["audio"] == book.result.book_path.name
    title = re.search(r"<title>(.*?)</title>", page_html)
    assert title and html.unescape(title.group(1)) == HOSTILE_TITLE
    texts = [html.unescape(t) for _, t in sentence_spans(page_html)]
    assert CHAPTER_TITLES[0] in texts and CHAPTER_TITLES[1] in texts
    assert "Voici </script><script>alert(1)</script> fini." in texts
    assert "Une note de bas de page, avec <b>balise</b>." in texts
    assert any("\"fort\" ni 'doux'" in t and "grise < le ciel > tout" in t for t in texts)
    assert '<span lang="en">Hands off Russia</span>' in page_html


def test_times_match_the_transcript(book: Book) -> None:
    page_html = (book.folder / "index.html").read_text("utf-8")
    m = re.search(r'id="book-data">(.*?)</script>', page_html)
    assert m
    data = json.loads(m.group(1))
    assert [s["id"] for s in data["sentences"]] == book.ids
    for s, cue in zip(data["sentences"], book.cues, strict=True):
        assert abs(s["start"] / 1000 - cue.start) <= 0.002
        assert abs(s["end"] / 1000 - cue.end) <= 0.002
    for c, start in zip(data["chapters"], book.chapter_starts, strict=True):
        assert abs(c["start"] / 1000 - start) <= 0.002
    kinds = [s["kind"] for s in data["sentences"]]
    assert "note" in kinds and kinds[0] == "credit" and kinds[-1] == "closing"


# ---- in Chromium


class _StaticHandler(SimpleHTTPRequestHandler):
    """A static host: files with their types, and byte ranges (Chromium seeks audio by
    range requests; http.server alone answers every request with the whole file)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if m and (m.group(1) or m.group(2)):
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)) if m.group(2) else len(data) - 1, len(data) - 1)
            else:
                start, end = max(0, len(data) - int(m.group(2))), len(data) - 1
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            body = data[start : end + 1]
        else:
            self.send_response(200)
            body = data
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # Chromium drops requests it no longer needs
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server(book: Book) -> Iterator[str]:
    handler = partial(_StaticHandler, directory=str(book.folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not HAVE_PLAYWRIGHT:
        pytest.skip("Playwright is not installed (pip install playwright)")
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_player(page: Page, url: str) -> Page:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("#controls:not([hidden])")
    page.evaluate("document.getElementById('audio').muted = true")
    page.wait_for_function("document.getElementById('audio').readyState >= 1")
    assert not errors, errors
    return page


@pytest.fixture(params=["file", "http"])
def origin(request: pytest.FixtureRequest, book: Book, server: str) -> str:
    return (book.folder / "index.html").as_uri() if request.param == "file" else server


@pytest.fixture
def page(browser: Browser, origin: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_player(page, origin)
    yield page
    context.close()


@pytest.fixture
def file_page(browser: Browser, book: Book) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_player(page, (book.folder / "index.html").as_uri())
    yield page
    context.close()


def now(page: Page) -> float:
    t: float = page.evaluate("document.getElementById('audio').currentTime")
    return t


def current(page: Page) -> str | None:
    i: str | None = page.evaluate("document.querySelector('.s.current')?.id ?? null")
    return i


def seek(page: Page, seconds: float) -> None:
    page.evaluate(
        """t => new Promise(done => {
            const a = document.getElementById('audio');
            a.addEventListener('seeked', () => done(), {once: true});
            a.currentTime = t;
        })""",
        seconds,
    )


def wait_current(page: Page, sentence_id: str) -> None:
    page.wait_for_function(
        "id => document.querySelector('.s.current')?.id === id", arg=sentence_id, timeout=5000
    )


def pause(page: Page) -> None:
    page.evaluate("document.getElementById('audio').pause()")


def press(page: Page, key: str) -> None:
    page.keyboard.press(f"Alt+Shift+{key}")


def test_it_plays(page: Page) -> None:
    assert page.evaluate("document.getElementById('audio').paused")
    page.click("#play")
    page.wait_for_function(
        "(() => { const a = document.getElementById('audio');"
        " return !a.paused && a.currentTime > 0.3; })()"
    )
    assert page.inner_text("#play").strip() == "Pause"
    page.click("#play")
    page.wait_for_function("document.getElementById('audio').paused")
    # The label follows the "pause" event, which the browser fires after `paused` is set.
    page.wait_for_function("document.querySelector('#play .label').textContent === 'Lecture'")
    assert page.inner_text("#play").strip() == "Lecture"


def test_the_highlight_follows_the_audio(page: Page, book: Book) -> None:
    order = list(range(len(book.cues)))
    for i in order[::2] + order[1::2][::-1]:  # forward and back again
        cue = book.cues[i]
        seek(page, (cue.start + cue.end) / 2)
        wait_current(page, book.ids[i])
    assert page.get_attribute(f"#{book.ids[i]}", "aria-current") == "true"
    assert page.locator(".s.current").count() == 1
    # The room tone at a chapter's head belongs to its first sentence.
    seek(page, book.chapter_starts[1] + 0.01)
    wait_current(page, "s-02-000-000")
    assert page.get_attribute(".toc a[data-chapter='1']", "aria-current") == "true"
    assert "Chapitre 2 sur 2" in page.inner_text("#now")


def announced(page: Page) -> str:
    page.wait_for_function("document.getElementById('announce').textContent.length > 0")
    return page.inner_text("#announce")


def record_seeks(page: Page) -> None:
    page.evaluate(
        """window.seeks = [];
        document.getElementById('audio').addEventListener(
            'seeking', e => seeks.push(e.target.currentTime))"""
    )


def last_seek(page: Page) -> float:
    page.wait_for_function("window.seeks.length > 0")
    t: float = page.evaluate("seeks[seeks.length - 1]")
    page.evaluate("window.seeks = []")
    return t


def test_a_click_or_enter_on_a_sentence_plays_from_it(page: Page, book: Book) -> None:
    record_seeks(page)
    target = "s-02-001-002"
    page.click(f"#{target}")
    assert abs(last_seek(page) - book.at(target).start) <= SEEK_TOLERANCE_S
    page.wait_for_function("!document.getElementById('audio').paused")
    assert current(page) == target
    assert "Chapitre 2, phrase" in announced(page)
    pause(page)
    # Keyboard: Tab reaches the sentence being read, arrows move, Enter plays.
    page.focus(".toc li:last-child a")
    page.keyboard.press("Tab")  # one tab stop in the text: the current sentence
    assert page.evaluate("document.activeElement.id") == target
    page.keyboard.press("ArrowDown")
    nxt = book.ids[book.ids.index(target) + 1]
    assert page.evaluate("document.activeElement.id") == nxt
    page.keyboard.press("Enter")
    assert abs(last_seek(page) - book.at(nxt).start) <= SEEK_TOLERANCE_S
    wait_current(page, nxt)


def test_every_shortcut(page: Page, book: Book) -> None:
    audio = "document.getElementById('audio')"
    press(page, "K")
    page.wait_for_function(f"!{audio}.paused")
    press(page, "K")
    page.wait_for_function(f"{audio}.paused")

    body = "s-01-002-001"
    i = book.ids.index(body)
    seek(page, (book.at(body).start + book.at(body).end) / 2)
    wait_current(page, body)
    press(page, "L")  # next sentence
    wait_current(page, book.ids[i + 1])
    assert abs(now(page) - book.cues[i + 1].start) <= SEEK_TOLERANCE_S
    assert "phrase" in announced(page)
    press(page, "J")  # at its start: the one before
    wait_current(page, body)
    assert abs(now(page) - book.at(body).start) <= SEEK_TOLERANCE_S
    credit = book.cues[0]
    assert credit.end - credit.start > 3
    seek(page, credit.start + 2.5)
    press(page, "J")  # 2.5 s into it: its own start
    assert abs(now(page) - credit.start) <= SEEK_TOLERANCE_S
    wait_current(page, book.ids[0])

    press(page, "O")  # next chapter
    wait_current(page, "s-02-000-000")
    assert abs(now(page) - book.chapter_starts[1]) <= SEEK_TOLERANCE_S
    page.wait_for_function(
        "document.getElementById('announce').textContent.startsWith('Chapitre 2 sur 2')"
    )
    press(page, "U")  # at its start: the chapter before
    wait_current(page, "s-01-000-000")
    assert now(page) <= SEEK_TOLERANCE_S
    seek(page, book.chapter_starts[1] + 4)
    press(page, "U")  # 4 s into it: its own start
    assert abs(now(page) - book.chapter_starts[1]) <= SEEK_TOLERANCE_S

    seek(page, 12)
    press(page, "ArrowRight")
    assert abs(now(page) - 22) <= SEEK_TOLERANCE_S
    press(page, "ArrowLeft")
    press(page, "ArrowLeft")
    assert abs(now(page) - 2) <= SEEK_TOLERANCE_S
    press(page, "ArrowLeft")
    assert now(page) == 0

    rate = f"{audio}.playbackRate"
    press(page, "ArrowUp")
    assert page.evaluate(rate) == 1.25
    assert page.input_value("#rate") == "1.25"
    page.wait_for_function("document.getElementById('announce').textContent === 'Vitesse 1,25×'")
    press(page, "ArrowDown")
    press(page, "ArrowDown")
    assert page.evaluate(rate) == 0.75

    for key, box in (("N", "#skip-notes"), ("P", "#pause-each"), ("F", "#follow")):
        before = page.is_checked(box)
        press(page, key)
        assert page.is_checked(box) is not before
        press(page, key)
        assert page.is_checked(box) is before

    # The same from a focused control: the shortcuts are the page's, not the body's.
    page.focus("#rate")
    press(page, "L")
    wait_current(page, book.ids[1])
    # A lone letter does nothing: it belongs to the screen reader.
    page.focus("#play")
    t = now(page)
    page.keyboard.press("l")
    page.keyboard.press("k")
    assert now(page) == t and page.evaluate(f"{audio}.paused")


def test_speed_changes_playback_rate_without_pitch(page: Page) -> None:
    options = page.eval_on_selector_all("#rate option", "os => os.map(o => Number(o.value))")
    assert min(options) == 0.5 and max(options) == 3 and 1 in options
    for value in ("0.5", "2", "3"):
        page.select_option("#rate", value)
        assert page.evaluate("document.getElementById('audio').playbackRate") == float(value)
    assert page.evaluate("document.getElementById('audio').preservesPitch") is True
    page.keyboard.press("Alt+Shift+ArrowUp")  # already the fastest
    assert page.evaluate("document.getElementById('audio').playbackRate") == 3
    page.click("#play")
    page.wait_for_function("document.getElementById('audio').currentTime > 1")


def test_the_position_survives_a_reload(page: Page, book: Book, origin: str) -> None:
    cue = book.at("s-02-001-003")
    spot = (cue.start + cue.end) / 2
    seek(page, spot)
    page.select_option("#rate", "1.5")
    page.check("#skip-notes")
    page.reload()
    page.wait_for_selector("#controls:not([hidden])")
    page.wait_for_function(
        "t => Math.abs(document.getElementById('audio').currentTime - t) < 0.05", arg=spot
    )
    wait_current(page, "s-02-001-003")
    assert page.evaluate("document.getElementById('audio').playbackRate") == 1.5
    assert page.is_checked("#skip-notes")
    key = "audiobook:" + book.result.book_path.stem
    assert page.evaluate(f"JSON.parse(localStorage.getItem({json.dumps(key)})).position") > 0


def test_skip_notes_and_pause_after_each_sentence(file_page: Page, book: Book) -> None:
    page = file_page
    notes = [i for i in book.ids if i.startswith("s-01-004")]
    assert notes
    before_notes = book.cues[book.ids.index(notes[0]) - 1]
    # Notes played through by default ...
    seek(page, before_notes.end - 0.3)
    page.evaluate("document.getElementById('audio').playbackRate = 2")
    page.click("#play")
    wait_current(page, notes[0])
    pause(page)
    # ... jumped over when skipped: playback goes on at the next chapter.
    page.check("#skip-notes")
    record_seeks(page)
    seek(page, before_notes.end - 0.3)
    page.evaluate("window.seeks = []")
    page.click("#play")
    wait_current(page, "s-02-000-000")
    assert abs(last_seek(page) - book.chapter_starts[1]) <= SEEK_TOLERANCE_S
    pause(page)
    # Pause after each sentence: stops at the end of the speech, then goes on to the next.
    page.check("#pause-each")
    cue = book.at("s-02-001-000")
    seek(page, cue.start)
    page.click("#play")
    page.wait_for_function("document.getElementById('audio').paused", timeout=5000)
    assert cue.end - 0.05 <= now(page) <= cue.end + 0.15
    page.click("#play")
    wait_current(page, "s-02-001-001")
    page.wait_for_function("document.getElementById('audio').paused", timeout=5000)
    assert abs(now(page) - book.at("s-02-001-001").end) <= 0.15


def test_the_live_region_speaks_only_after_a_jump(file_page: Page, book: Book) -> None:
    page = file_page
    region = page.locator("#announce")
    assert region.get_attribute("aria-live") == "polite"
    seek(page, book.cues[1].start - 0.4)
    page.click("#play")
    wait_current(page, book.ids[1])
    assert region.inner_text() == "", "plain playback says nothing, even past a sentence"
    page.click("#next-chapter")
    page.wait_for_function("document.getElementById('announce').textContent.length > 0")
    assert region.inner_text().startswith("Chapitre 2 sur 2 : ")


def test_keyboard_only_with_visible_focus(file_page: Page) -> None:
    page = file_page
    page.evaluate("document.activeElement.blur()")
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """(() => { const e = document.activeElement, s = getComputedStyle(e);
            return [e.id, e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"""
        )
        seen.append(info[0])
        if info[1] != "AUDIO":  # the native controls draw their own focus
            assert info[2] == "solid" and info[3] >= 2, info
        if info[0] == "play":
            break
    assert "play" in seen, seen
    page.keyboard.press("Enter")
    page.wait_for_function("!document.getElementById('audio').paused")
    page.keyboard.press("Space")
    page.wait_for_function("document.getElementById('audio').paused")


def test_labels_roles_and_language(file_page: Page) -> None:
    page = file_page
    assert page.get_attribute("html", "lang") == "fr"
    for button in page.query_selector_all("button"):
        assert button.get_attribute("type") == "button"
        assert button.inner_text().strip(), "every button has visible text for its name"
        assert button.get_attribute("aria-label") is None
        assert button.get_attribute("aria-keyshortcuts")
    for box in ("#rate", "#skip-notes", "#pause-each", "#follow"):
        box_id = box[1:]
        assert page.locator(f"label[for='{box_id}']").count() == 1
    assert page.locator("#help kbd").count() >= 10  # the shortcuts are on the page
    # The text's one tab stop is the sentence being read, a button; the rest is plain text.
    assert page.locator("#transcript [tabindex='0']").count() == 1
    assert page.get_attribute("#transcript [tabindex='0']", "role") == "button"
    assert page.locator("#transcript [role]").count() == 1


def run_axe(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    # Every rule, the experimental ones too (focus-order-semantics: a role for every tab stop).
    result: list[dict[str, Any]] = page.evaluate(
        """(() => {
            const rules = {};
            for (const r of axe.getRules(['experimental'])) rules[r.ruleId] = {enabled: true};
            return axe.run(document, {rules, resultTypes: ['violations']})
                .then(r => r.violations);
        })()"""
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]


@pytest.mark.parametrize(
    ("width", "height", "scheme"),
    [(1280, 900, "light"), (1280, 900, "dark"), (640, 450, "light"), (320, 640, "light")],
    ids=["desktop", "dark", "zoom-200", "phone"],
)
def test_axe_finds_no_violations(
    browser: Browser, book: Book, width: int, height: int, scheme: str, tmp_path: Path
) -> None:
    if not AXE_JS.is_file():
        pytest.skip(f"no axe-core at {AXE_JS} (npm install axe-core; or set AXE_CORE_JS)")
    # 640x450 CSS pixels at scale 2 is a 1280x900 window at 200% zoom.
    scale = 2 if width == 640 else 1
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        color_scheme=scheme,  # type: ignore[arg-type]
    )
    page = open_player(context.new_page(), (book.folder / "index.html").as_uri())
    page.evaluate("document.getElementById('help').open = true")
    seek(page, (book.cues[3].start + book.cues[3].end) / 2)  # a highlighted sentence
    wait_current(page, book.ids[3])
    page.focus(f"#{book.ids[3]}")
    violations = run_axe(page)
    page.screenshot(path=str(tmp_path / f"player-{width}-{scheme}.png"))
    assert violations == [], violations
    # Nothing wider than the screen: no sideways scrolling at 200% or on a phone.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


def test_screenshot(browser: Browser, book: Book, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    page = open_player(context.new_page(), (book.folder / "index.html").as_uri())
    cue = book.at("s-01-002-001")
    seek(page, (cue.start + cue.end) / 2)
    wait_current(page, "s-01-002-001")
    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "player.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    with contextlib.suppress(OSError):  # a read-only /tmp is no reason to fail
        shutil.copyfile(shot, SCREENSHOT_FOR_README)
    context.close()
