"""HTML reader: pandoc's standalone page, a saved article with a site around it, notes
after each block, and a bare chapter file, all read back word for word."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_readers_corpus import AUTHOR, TITLE, check_reading, need, pandoc

from audiobook.errors import InputError
from audiobook.readers import html, read_source
from audiobook.text.chapters import build_document

# A site's page around the article, as pandoc fills it in: navigation, banner, sidebar,
# forms, scripts, a cookie notice and a footer, none of which is to be read.
SITE = """<!DOCTYPE html>
<html lang="$lang$">
<head><meta charset="utf-8"><title>$title$</title>
<meta name="author" content="$for(author)$$author$$endfor$">
<style>body { font: 1em serif }</style><script>var tracker = "ne pas lire";</script></head>
<body>
<div class="cookie-banner">Ce site utilise des cookies. <button>Accepter</button></div>
<header role="banner"><a href="/">Le Journal du Soir</a><nav><a href="/a">Accueil</a>
<a href="/b">Politique</a></nav></header>
<form action="/search"><input name="q"><button>Chercher</button></form>
<main>
<article>
<header><h1>$title$</h1><p class="byline">Par $for(author)$$author$$endfor$</p></header>
$body$
<footer>Publié dans la rubrique Histoire. Partager sur les réseaux.</footer>
</article>
</main>
<aside><h2>À lire aussi</h2><ul><li>Un autre article</li></ul></aside>
<footer><p>Mentions légales — Contact</p></footer>
<script>console.log("ne pas lire non plus")</script>
</body>
</html>
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("html")


def test_a_standalone_page_reads_as_the_ground_truth(made: Path) -> None:
    """pandoc -s: the title block's h1 too, every note at the end of the page."""
    source = html.read(pandoc(made / "page.html", "-s"))
    assert check_reading(source) == 1.0
    assert (source.info.title, source.info.author, source.info.language) == (TITLE, AUTHOR, "fr")


def test_a_saved_article_without_the_site_around_it(made: Path) -> None:
    template = made / "site.html5"
    template.write_text(SITE, encoding="utf-8")
    path = pandoc(made / "article.html", "-s", f"--template={template}")
    source = html.read(path)
    assert check_reading(source) == 1.0
    assert source.info.title == TITLE
    read = " ".join(
        p for c in build_document(source).chapters for p in (c.title, *c.paragraphs, *c.notes)
    )
    for boilerplate in ("cookies", "Accueil", "Chercher", "lire aussi", "Mentions", "Partager",
                        "tracker", "Journal du Soir", "Par Marie"):  # fmt: skip
        assert boilerplate not in read


def test_notes_after_each_block_are_not_read_inside_the_text(made: Path) -> None:
    source = html.read(pandoc(made / "blocks.html", "-s", "--reference-location=block"))
    assert check_reading(source) == 1.0


def test_a_chapter_file_without_head(made: Path) -> None:
    """A fragment (no <html>, no <title>): title from its first h1, French by default."""
    need("pandoc")
    path = pandoc(made / "fragment.html")
    source = read_source(path)
    assert source.info.language == "fr"
    assert check_reading(source) == 1.0


def test_empty_or_unreadable_pages(tmp_path: Path) -> None:
    empty = tmp_path / "vide.html"
    empty.write_text("<html><body><nav>Menu</nav><script>x()</script></body></html>")
    with pytest.raises(InputError, match="no readable text"):
        html.read(empty)
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(InputError, match="binary"):
        html.read(binary)


def test_latin1_page_with_a_meta_charset(tmp_path: Path) -> None:
    page = tmp_path / "ancien.htm"
    page.write_bytes(
        '<html lang="fr-FR"><head><meta charset="iso-8859-1"><title>Été</title></head>'
        "<body><p>Un été à Besançon.</p></body></html>".encode("latin-1")
    )
    source = read_source(page)
    assert source.info.title == "Été" and source.info.language == "fr"
    assert build_document(source).chapters[0].paragraphs == ("Un été à Besançon.",)
