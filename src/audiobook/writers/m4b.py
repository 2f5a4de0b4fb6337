"""`audiobook build --m4b`: an M4B (AAC in MP4, chapters, tags, cover) from a built output folder.

Nothing is re-synthesized: the chapter MP3s are decoded and encoded once, in one ffmpeg pass.

Why not the concat demuxer: ffmpeg trims each MP3's encoder delay and padding (~45 ms)
when it decodes it alone, so chapters joined that way drift earlier by that much at every
boundary. In the book MP3 (a stream-copy join) chapter n starts after the full MP3 frames of
the chapters before it, which is what manifest.json start_ms records. So each chapter but the
last is padded back to its frame length (apad) before the concat filter: the M4B then has the
book MP3's timeline, its chapter marks are the manifest's start_ms, and transcript.vtt/.srt
times hold for it too.
"""

from __future__ import annotations

import mimetypes
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen.id3 import ID3

from ..audio import ffmpeg, mp3
from ..errors import AudioError, InputError
from ..files import atomic_path
from ..model import RenderedBook
from .id3 import read_id3
from .manifest import read_manifest

AAC_SAMPLE_RATE_HZ = 44100
AAC_CHANNELS = 1
DEFAULT_BITRATE_KBPS = 64
BITRATE_RANGE_KBPS = (16, 320)
MANIFEST_TOLERANCE_MS = 1.0  # MP3 frame counts vs manifest start_ms (rounded to 1 ms)
CHAPTER_TOLERANCE_MS = 50.0  # ffprobe's chapter starts vs the ones written
DURATION_TOLERANCE_MS = 100.0  # M4B length vs the book's
M4B_BRAND = "M4B "  # the ipod muxer would write "M4A "; Apple apps file M4B under Books
MP4_MEDIA_TYPE_AUDIOBOOK = "2"  # the "stik" atom
DEFAULT_GENRE = "Audiobook"
FFMETADATA_SPECIAL = "=;#\\\n"


@dataclass(frozen=True)
class _Part:
    title: str
    path: Path
    start_ms: float
    end_ms: float
    pad_samples: int | None  # whole length to pad the decoded chapter to; None for the last


def make_m4b(out_dir: Path, *, bitrate_kbps: int = DEFAULT_BITRATE_KBPS) -> Path:
    """Build <out_dir>/<slug>.m4b from the chapter MP3s listed in manifest.json.

    AAC (ffmpeg's native encoder) at bitrate_kbps, mono, 44.1 kHz; one chapter mark per
    manifest chapter at its start_ms; title/artist/album/date/genre (and description) tags
    from the book MP3's ID3 tag, falling back to the manifest; its APIC cover, if any, as the
    attached picture; moov atom up front (+faststart) so players can start before the end
    has downloaded. Written under a temporary name and renamed, so an interrupted run leaves
    the previous M4B intact. Returns the M4B's path.

    Raises InputError if the folder, manifest.json or a chapter MP3 is missing or the
    bitrate is out of range; AudioError if ffmpeg fails or the result does not probe as
    expected (codec, chapter marks, duration).
    """
    lo, hi = BITRATE_RANGE_KBPS
    if not lo <= bitrate_kbps <= hi:
        raise InputError(f"the M4B bitrate must be {lo}..{hi} kbps (got {bitrate_kbps}).")
    ffmpeg.require_ffmpeg()
    manifest = read_manifest(out_dir)
    slug = Path(str(manifest["file"])).stem
    parts = _parts(out_dir, manifest)
    duration_ms = float(manifest.get("duration_ms") or parts[-1].end_ms)
    tags = _book_tags(out_dir / str(manifest["file"]), manifest)
    final = out_dir / f"{slug}.m4b"
    with atomic_path(final) as tmp, tempfile.TemporaryDirectory(prefix="audiobook-m4b-") as work:
        cover = _cover(out_dir / str(manifest["file"]), Path(work))
        _encode(parts, tags, cover, duration_ms, bitrate_kbps, Path(work), tmp)
        _verify(tmp, parts, duration_ms)
    return final


def write(book: RenderedBook) -> None:
    """After the manifest and the ID3 tags: the M4B is made from what they say."""
    make_m4b(book.folder, bitrate_kbps=book.profile.bitrate_kbps)


def _parts(out_dir: Path, manifest: dict[str, Any]) -> list[_Part]:
    """Chapters with their marks, checked against the MP3s' own frame counts."""
    chapters = manifest["chapters"]
    parts: list[_Part] = []
    position_ms = 0.0
    for n, ch in enumerate(chapters):
        path = out_dir / str(ch["file"])
        if not path.is_file():
            raise InputError(f"{path} is listed in manifest.json but missing.")
        start_ms = float(ch["start_ms"])
        if abs(start_ms - position_ms) > MANIFEST_TOLERANCE_MS:
            raise InputError(
                f"{out_dir}/manifest.json says chapter {n + 1} starts at {start_ms:.0f} ms but "
                f"the MP3s before it last {position_ms:.0f} ms; rebuild the book."
            )
        last = n == len(chapters) - 1
        samples, rate = mp3.mp3_samples(path)
        position_ms += samples * 1000 / rate
        parts.append(
            _Part(
                title=str(ch.get("title") or f"{n + 1}"),
                path=path,
                start_ms=start_ms,
                end_ms=float(ch["end_ms"]),
                pad_samples=None if last else samples,
            )
        )
    return parts


def _text(tags: ID3 | None, frame: str) -> str:
    if tags is None or frame not in tags:
        return ""
    return str(tags[frame]).strip()


def _book_tags(book_mp3: Path, manifest: dict[str, Any]) -> dict[str, str]:
    id3 = read_id3(book_mp3) if book_mp3.is_file() else None
    title = _text(id3, "TIT2") or str(manifest.get("title") or "")
    artist = _text(id3, "TPE1") or str(manifest.get("author") or "")
    tags = {
        "title": title,
        "album": _text(id3, "TALB") or title,
        "artist": artist,
        "album_artist": artist,
        "date": _text(id3, "TDRC") or str(manifest.get("date") or ""),
        "genre": _text(id3, "TCON") or DEFAULT_GENRE,
        "description": str(manifest.get("description") or ""),
        "media_type": MP4_MEDIA_TYPE_AUDIOBOOK,
    }
    return {k: v for k, v in tags.items() if v}


def _cover(book_mp3: Path, work: Path) -> Path | None:
    """The book MP3's front cover (or first) APIC picture, as a file ffmpeg can read."""
    id3 = read_id3(book_mp3) if book_mp3.is_file() else None
    pictures: list[Any] = []
    if id3 is not None:
        pictures = id3.getall("APIC")  # type: ignore[no-untyped-call]
    if not pictures:
        return None
    picture = next((p for p in pictures if p.type == 3), pictures[0])
    ext = mimetypes.guess_extension(str(picture.mime)) or ".jpg"
    path = work / f"cover{'.jpg' if ext in ('.jpe', '.jpeg') else ext}"
    path.write_bytes(picture.data)
    return path


def _escape(value: str) -> str:
    return "".join("\\" + c if c in FFMETADATA_SPECIAL else c for c in value)


def _ffmetadata(tags: dict[str, str], parts: Sequence[_Part], duration_ms: float) -> str:
    lines = [";FFMETADATA1"]
    lines += [f"{key}={_escape(value)}" for key, value in tags.items()]
    for n, part in enumerate(parts):
        end_ms = parts[n + 1].start_ms if n + 1 < len(parts) else duration_ms
        lines += [
            "",
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(part.start_ms)}",
            f"END={round(end_ms)}",
            f"title={_escape(part.title)}",
        ]
    return "\n".join(lines) + "\n"


def _filter_graph(parts: Sequence[_Part]) -> str:
    """Pad every chapter but the last to its MP3 frame length, then join them."""
    chains = []
    labels = []
    for i, part in enumerate(parts):
        if part.pad_samples is None:
            labels.append(f"[{i}:a]")
        else:
            chains.append(f"[{i}:a]apad=whole_len={part.pad_samples}[p{i}]")
            labels.append(f"[p{i}]")
    chains.append(f"{''.join(labels)}concat=n={len(parts)}:v=0:a=1[book]")
    return ";\n".join(chains) + "\n"


def _encode(
    parts: Sequence[_Part],
    tags: dict[str, str],
    cover: Path | None,
    duration_ms: float,
    bitrate_kbps: int,
    work: Path,
    out: Path,
) -> None:
    metadata = work / "ffmetadata.txt"
    metadata.write_text(_ffmetadata(tags, parts, duration_ms), encoding="utf-8")
    graph = work / "graph.txt"
    graph.write_text(_filter_graph(parts), encoding="utf-8")
    cmd = list(ffmpeg.FFMPEG)
    for part in parts:
        cmd += ["-i", str(part.path)]
    meta_index = len(parts)
    cmd += ["-f", "ffmetadata", "-i", str(metadata)]
    if cover is not None:
        cmd += ["-i", str(cover)]
    cmd += ["-filter_complex_script", str(graph), "-map", "[book]"]
    if cover is not None:
        cmd += ["-map", f"{meta_index + 1}:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]
    cmd += [
        "-map_metadata", str(meta_index), "-map_chapters", str(meta_index),
        "-c:a", "aac", "-b:a", f"{bitrate_kbps}k",
        "-ac", str(AAC_CHANNELS), "-ar", str(AAC_SAMPLE_RATE_HZ),
        "-movflags", "+faststart", "-brand", M4B_BRAND, "-f", "ipod", str(out),
    ]  # fmt: skip
    ffmpeg.run(cmd)


def _verify(path: Path, parts: Sequence[_Part], duration_ms: float) -> None:
    """Probe what was written: AAC audio, the chapter marks asked for, the book's length."""
    probe = ffmpeg.ffprobe(path, "-show_chapters", "-show_streams", "-show_format")
    codecs = [
        s.get("codec_name") for s in probe.get("streams", []) if s.get("codec_type") == "audio"
    ]
    if codecs != ["aac"]:
        raise AudioError(f"{path}: expected one AAC stream, found {codecs or 'none'}.")
    marks = probe.get("chapters", [])
    got = [(c.get("tags", {}).get("title", ""), float(c["start_time"]) * 1000) for c in marks]
    want = [(p.title, p.start_ms) for p in parts]
    if [t for t, _ in got] != [t for t, _ in want] or any(
        abs(g - w) > CHAPTER_TOLERANCE_MS for (_, g), (_, w) in zip(got, want, strict=True)
    ):
        raise AudioError(f"{path}: chapter marks came out as {got}, expected {want}.")
    length_ms = float(probe["format"]["duration"]) * 1000
    if abs(length_ms - duration_ms) > DURATION_TOLERANCE_MS:
        raise AudioError(
            f"{path}: lasts {length_ms:.0f} ms, expected {duration_ms:.0f} ms "
            f"±{DURATION_TOLERANCE_MS:.0f}."
        )
