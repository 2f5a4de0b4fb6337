"""EPUB 2 and 3: the spine in order, chapters from the nav document (EPUB 3) or the NCX
(EPUB 2), else from headings; notes from epub:type/role noterefs; metadata and cover
from the package document."""

from __future__ import annotations

import hashlib
import os
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from ..errors import InputError
from ..files import write_bytes
from ..model import BookInfo
from .base import Source, clean
from .markup import (
    Block,
    Doc,
    Node,
    Notes,
    assemble,
    attr_type,
    blocks_of,
    content_root,
    decode_html,
    language_tag,
    member,
    open_zip,
    parse_html,
    parse_xml,
    split_href,
    squash,
)
from .text import title_from_name

SUFFIX = ".epub"
KIND = "EPUB"
REDO = "Export it again, or convert it (e.g. with Calibre) and re-run."
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
XENC = "{http://www.w3.org/2001/04/xmlenc#}"
HTML_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}
# Font obfuscation (IDPF, Adobe) is not DRM: the text stays readable.
OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
DRM_FILES = {
    "META-INF/rights.xml": "Adobe ADEPT",
    "META-INF/license.lcpl": "Readium LCP",
    "META-INF/sinf.xml": "Apple FairPlay",
}
IMAGE_MAGIC = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}


@dataclass(frozen=True)
class Item:
    path: str
    media_type: str
    properties: frozenset[str]


def _drm(zf: zipfile.ZipFile, path: Path) -> None:
    names = set(zf.namelist())
    for name, scheme in DRM_FILES.items():
        if name in names:
            raise InputError(
                f"{path} is DRM-protected ({scheme}): its text is encrypted and cannot be "
                "read. Use a DRM-free copy of the book."
            )
    if "META-INF/encryption.xml" not in names:
        return
    root = parse_xml(member(zf, "META-INF/encryption.xml", path, KIND), "encryption.xml", path)
    for data in root.iter(f"{XENC}EncryptedData"):
        method = data.find(f"{XENC}EncryptionMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        if algorithm not in OBFUSCATION:
            how = algorithm or "an unknown method"
            raise InputError(
                f"{path} is DRM-protected (its content is encrypted with {how}): it cannot "
                "be read. Use a DRM-free copy of the book."
            )


def _rootfile(zf: zipfile.ZipFile, path: Path) -> str:
    if "META-INF/container.xml" not in zf.namelist():
        raise InputError(f"{path} is not an EPUB (it has no META-INF/container.xml). {REDO}")
    root = parse_xml(member(zf, "META-INF/container.xml", path, KIND), "container.xml", path)
    for rootfile in root.iter(f"{CONTAINER}rootfile"):
        if rootfile.get("media-type", "application/oebps-package+xml").endswith("package+xml"):
            return unquote(rootfile.get("full-path", ""))
    raise InputError(f"{path} is not a valid EPUB: container.xml names no package. {REDO}")


def _text(el: ET.Element | None) -> str:
    return squash("".join(el.itertext())) if el is not None else ""


def _info(meta: ET.Element | None, path: Path) -> BookInfo:
    if meta is None:
        return BookInfo(title=title_from_name(path), source=path.name)

    def dc(name: str) -> str:
        return _text(meta.find(f"{DC}{name}"))

    roles = {
        m.get("refines", "").lstrip("#"): (m.text or "").strip()
        for m in meta.iter(f"{OPF}meta")
        if m.get("property") == "role"
    }
    authors = [
        _text(c)
        for c in meta.iter(f"{DC}creator")
        if c.get(f"{OPF}role", roles.get(c.get("id", ""), "aut")) in ("aut", "")
    ]
    description = dc("description")
    if "<" in description:  # often HTML
        description = squash(content_root(parse_html(description)).text())
    return BookInfo(
        title=dc("title") or title_from_name(path),
        author=", ".join(a for a in authors if a),
        date=dc("date")[:10],
        publisher=dc("publisher"),
        description=description,
        language=language_tag(dc("language")) or "fr",
        source=path.name,
    )


def _cover(
    zf: zipfile.ZipFile, items: dict[str, Item], meta: ET.Element | None, path: Path
) -> Path | None:
    """The cover image, kept in the cache (covers/<sha>.jpg|png): None when there is none,
    it is not JPEG/PNG, or it cannot be written."""
    item = next((i for i in items.values() if "cover-image" in i.properties), None)
    if item is None and meta is not None:
        for m in meta.iter(f"{OPF}meta"):
            if m.get("name") == "cover" and m.get("content") in items:
                item = items[m.get("content", "")]
    if item is None or item.path not in zf.namelist():
        return None
    data = member(zf, item.path, path, KIND)
    suffix = next((s for magic, s in IMAGE_MAGIC.items() if data.startswith(magic)), None)
    if suffix is None:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    target = Path(base) / "audiobook" / "covers" / (hashlib.sha256(data).hexdigest()[:32] + suffix)
    try:
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(target, data)
    except OSError:
        return None
    return target


def _nav_points(
    zf: zipfile.ZipFile, items: dict[str, Item], toc_id: str, path: Path
) -> list[tuple[str, str]]:
    """Top-level table-of-contents entries: (label, href resolved from the package root)."""
    nav = next((i for i in items.values() if "nav" in i.properties), None)
    if nav is not None and nav.path in zf.namelist():
        root = parse_html(decode_html(member(zf, nav.path, path, KIND)))
        toc = next(
            (n for n in root.iter() if n.tag == "nav" and "toc" in attr_type(n)),
            next((n for n in root.iter() if n.tag == "nav"), None),
        )
        top = (
            next((c for c in toc.children if isinstance(c, Node) and c.tag == "ol"), None)
            if toc
            else None
        )
        if top is None and toc is not None:
            top = next((n for n in toc.iter() if n.tag == "ol"), None)
        entries = _nav_list(top, nav.path)
        if entries:
            return entries
    ncx = items.get(toc_id) or next(
        (i for i in items.values() if i.media_type == "application/x-dtbncx+xml"), None
    )
    if ncx is None or ncx.path not in zf.namelist():
        return []
    root_el = parse_xml(member(zf, ncx.path, path, KIND), ncx.path, path)
    nav_map = root_el.find(f"{NCX}navMap")
    points = list(nav_map.findall(f"{NCX}navPoint")) if nav_map is not None else []
    if len(points) == 1 and points[0].findall(f"{NCX}navPoint"):
        points = points[0].findall(f"{NCX}navPoint")  # one entry holding the chapters
    entries = []
    for p in points:
        content = p.find(f"{NCX}content")
        label = _text(p.find(f"{NCX}navLabel"))
        if content is not None and content.get("src"):
            entries.append((label, _join(ncx.path, content.get("src", ""))))
    return entries


def _nav_list(ol: Node | None, base: str) -> list[tuple[str, str]]:
    if ol is None:
        return []
    lis = [c for c in ol.children if isinstance(c, Node) and c.tag == "li"]
    entries: list[tuple[str, str]] = []
    for li in lis:
        a = next((n for n in li.iter() if n.tag in ("a", "span")), None)
        if a is None or not a.get("href"):
            continue
        entries.append((squash(a.text()), _join(base, a.get("href"))))
    if len(lis) == 1:  # one entry holding the chapters
        inner = next((n for n in lis[0].iter() if n.tag == "ol"), None)
        if inner is not None:
            return _nav_list(inner, base) or entries
    return entries


def _join(base: str, href: str) -> str:
    doc, frag = split_href(href, base)
    return f"{doc}#{frag}" if frag else doc


def read(path: Path) -> Source:
    zf = open_zip(path, KIND, REDO)
    with zf:
        _drm(zf, path)
        opf_path = _rootfile(zf, path)
        opf = parse_xml(member(zf, opf_path, path, KIND), opf_path, path)
        meta = opf.find(f"{OPF}metadata")
        manifest = opf.find(f"{OPF}manifest")
        spine = opf.find(f"{OPF}spine")
        if manifest is None or spine is None:
            raise InputError(f"{path} is not a valid EPUB: its package has no spine. {REDO}")
        items = {
            el.get("id", ""): Item(
                _join(opf_path, el.get("href", "")),
                el.get("media-type", ""),
                frozenset(el.get("properties", "").split()),
            )
            for el in manifest.iter(f"{OPF}item")
        }
        info = _info(meta, path)
        docs: list[Doc] = []
        linear: list[bool] = []
        for ref in spine.iter(f"{OPF}itemref"):
            item = items.get(ref.get("idref", ""))
            if item is None or item.media_type not in HTML_TYPES or item.path not in zf.namelist():
                continue
            if "nav" in item.properties:
                continue
            data = member(zf, item.path, path, KIND)
            docs.append(Doc(item.path, parse_html(decode_html(data))))
            linear.append(ref.get("linear", "yes") != "no")
        if not docs:
            raise InputError(f"{path} has no text documents in its spine. {REDO}")
        notes = Notes(docs)
        marks: dict[str, dict[int, str]] = {}  # doc path -> id(node) -> chapter title
        openings: dict[str, str] = {}  # doc path -> title of a chapter starting with it
        by_path = {d.path: d for d in docs}
        for label, href in _nav_points(zf, items, spine.get("toc", ""), path):
            doc_path, _, frag = href.partition("#")
            doc = by_path.get(doc_path)
            if doc is None:
                continue
            node = doc.ids.get(frag) if frag else None
            if node is None:
                openings.setdefault(doc_path, label)
            else:
                marks.setdefault(doc_path, {}).setdefault(id(node), label)
        blocks = []
        for doc, is_linear in zip(docs, linear, strict=True):
            if not is_linear:
                continue
            doc_blocks = blocks_of(doc, notes, marks.get(doc.path))
            if doc.path in openings and doc_blocks and doc_blocks[0].chapter is None:
                doc_blocks[0].chapter = openings[doc.path]
            elif doc.path in openings:
                doc_blocks.insert(0, Block("", chapter=openings[doc.path]))
            blocks += doc_blocks
        front = (info.title, info.author, info.publisher, info.date)
        sections = assemble(blocks, notes.notes, info.title, front=front)
        if not sections:
            raise InputError(f"{path} has no readable text (only images?). {REDO}")
        cover = _cover(zf, items, meta, path)
    return Source(replace(info, cover=cover, title=clean(info.title)), tuple(sections))
