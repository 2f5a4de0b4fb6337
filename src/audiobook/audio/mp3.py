"""MP3 and ID3v2 headers, read once here: tag size, first frame, the LAME Xing/Info tag."""

from __future__ import annotations

import struct
from pathlib import Path

from ..errors import AudioError

MP3_SAMPLES_PER_FRAME = 1152  # MPEG-1 Layer III; MPEG-2/2.5 frames hold half as many
ID3V2_HEADER_BYTES = 10
XING_SEARCH_BYTES = 200  # the Xing/Info tag sits right after the side info of frame 1
HEAD_READ_BYTES = 4096
SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def syncsafe(b: bytes) -> int:
    """A 28-bit ID3v2 size stored 7 bits per byte."""
    return (b[0] << 21) | (b[1] << 14) | (b[2] << 7) | b[3]


def id3v2_size(header: bytes) -> int:
    """Bytes the ID3v2 tag at the start of a file takes (header and footer included), 0 if
    header does not start one."""
    if len(header) < ID3V2_HEADER_BYTES or header[:3] != b"ID3":
        return 0
    footer = ID3V2_HEADER_BYTES if header[5] & 0x10 else 0
    return ID3V2_HEADER_BYTES + syncsafe(header[6:10]) + footer


def _first_frame(path: Path) -> bytes:
    """The bytes from the first MPEG frame sync after the ID3v2 tag."""
    with path.open("rb") as f:
        f.seek(id3v2_size(f.read(ID3V2_HEADER_BYTES)))
        data = f.read(HEAD_READ_BYTES)
    i = 0
    while i < len(data) - 4 and not (data[i] == 0xFF and data[i + 1] & 0xE0 == 0xE0):
        i += 1
    return data[i:] if i < len(data) - 4 else b""


def xing_tag(path: Path) -> bytes | None:
    """b"Info" (LAME's CBR tag), b"Xing" (VBR) or None."""
    frame = _first_frame(path)[:XING_SEARCH_BYTES]
    return next((tag for tag in (b"Info", b"Xing") if tag in frame), None)


def mp3_samples(path: Path) -> tuple[int, int]:
    """(samples in all audio frames, sample rate), from the Xing/Info header LAME writes.

    Parts joined by stream copy start exactly this many samples apart in the decoded book."""
    head = _first_frame(path)
    if len(head) < 4:
        raise AudioError(f"{path} holds no MP3 frame.")
    hdr = struct.unpack(">I", head[:4])[0]
    version_bits = (hdr >> 19) & 3
    rate_index = (hdr >> 10) & 3
    if version_bits not in SAMPLE_RATES or rate_index == 3:
        raise AudioError(f"{path} has a bad MP3 frame header.")
    rate = SAMPLE_RATES[version_bits][rate_index]
    per_frame = MP3_SAMPLES_PER_FRAME if version_bits == 3 else MP3_SAMPLES_PER_FRAME // 2
    for tag in (b"Info", b"Xing"):
        pos = head.find(tag, 0, XING_SEARCH_BYTES)
        if pos >= 0:
            flags = struct.unpack(">I", head[pos + 4 : pos + 8])[0]
            if flags & 1:
                return struct.unpack(">I", head[pos + 8 : pos + 12])[0] * per_frame, rate
    raise AudioError(f"{path} has no Xing/Info header; cannot count its frames.")


BITRATES_KBPS = {  # Layer III, by MPEG version bits (3: MPEG-1; 2, 0: MPEG-2 and 2.5)
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}


def whole_frames(data: bytes) -> bool:
    """True when data (an MP3 without tags at its end) is a run of whole Layer III frames:
    an answer cut short ends inside a frame."""
    pos = id3v2_size(data[:ID3V2_HEADER_BYTES])
    frames = 0
    while pos + 4 <= len(data):
        hdr = struct.unpack(">I", data[pos : pos + 4])[0]
        version, layer = (hdr >> 19) & 3, (hdr >> 17) & 3
        bitrate_i, rate_i, padding = (hdr >> 12) & 15, (hdr >> 10) & 3, (hdr >> 9) & 1
        if hdr >> 21 != 0x7FF or layer != 1 or version == 1 or rate_i == 3:
            return False
        if bitrate_i in (0, 15):
            return False
        rate = SAMPLE_RATES[version][rate_i]
        kbps = BITRATES_KBPS[3 if version == 3 else 2][bitrate_i]
        size = (144 if version == 3 else 72) * kbps * 1000 // rate + padding
        pos += size
        frames += 1
    return frames > 0 and pos == len(data)
