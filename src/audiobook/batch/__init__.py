"""`audiobook batch`: many books on Dask (a LocalCluster here, or an existing cluster),
sharing one chunk and chapter cache; a failed book is reported, the rest go on; a re-run
skips what is current and resumes the rest from the cache."""

from .catalog import BookEntry, read_catalog
from .cluster import BatchEvents
from .report import REPORT, BatchReport, Outcome, book_line, summary
from .run import BatchOptions, run_batch

__all__ = [
    "REPORT",
    "BatchEvents",
    "BatchOptions",
    "BatchReport",
    "BookEntry",
    "Outcome",
    "book_line",
    "read_catalog",
    "run_batch",
    "summary",
]
