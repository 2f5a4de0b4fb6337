"""gTTS: Google Translate's text-to-speech, online. Natural voice, rate-limited, needs a network.

One request per chunk (the chunker already packs chunks up to MAX_CHARS at the best boundary,
so gTTS's own comma-by-comma tokenizer is switched off), a bounded number of requests in
flight, a finite timeout and retries with exponential backoff and full jitter on 429, 5xx,
timeouts, connection errors and "200 but no audio" answers.

Setting AUDIOBOOK_GTTS_ENDPOINT (e.g. http://127.0.0.1:8765) sends the requests to
<endpoint>/_/TranslateWebserverUi/data/batchexecute instead of translate.google.<tld>; the
tests and the benchmark point it at a local fake. Unset, gTTS runs unchanged.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

import requests

from ..audio.ffmpeg import mp3_to_wav
from ..audio.mp3 import whole_frames
from ..audio.silence import silence
from ..audio.wav import write_wav
from ..errors import AudioError, EngineError
from .base import Capabilities, Engine, EngineOptions

try:
    # gTTS ships no type information (the project config may already silence that).
    import gtts as _gtts  # type: ignore[import-untyped,unused-ignore]
    from gtts import tts as _gtts_tts  # type: ignore[import-untyped,unused-ignore]
    from gtts.tokenizer.symbols import (  # type: ignore[import-untyped,unused-ignore]
        ALL_PUNC as _ALL_PUNC,
    )
except ImportError:  # pragma: no cover - gTTS is a dependency; unavailable_reason() says so
    _gtts = None
    _gtts_tts = None
    _ALL_PUNC = ""

ENDPOINT_ENV = "AUDIOBOOK_GTTS_ENDPOINT"
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
RETRY_AFTER_CAP_S = 30.0  # a longer Retry-After fails the try: a re-run resumes
SILENCE_S = 0.1  # what a chunk with nothing speakable (only punctuation) becomes
GTTS_LANGUAGES = frozenset({"fr", "en", "de", "es", "it", "pt", "nl", "la", "ru"})
_NOTHING_TO_SAY_RE = re.compile(rf"^[{re.escape(_ALL_PUNC)}\s]*$")


# --- Routing to a local endpoint -------------------------------------------------------------
# gtts.tts builds its URL with the module-level _translate_url. When an endpoint is requested we
# replace it (once, under a lock) by a router that reads a thread-local: only the calls this
# module makes inside _routed(endpoint) are redirected, every other gTTS call is untouched.

_route = threading.local()
_install_lock = threading.Lock()
_original_translate_url: Callable[..., str] | None = None


def _routing_translate_url(tld: str = "com", path: str = "") -> str:
    endpoint: str | None = getattr(_route, "endpoint", None)
    if endpoint is None:
        assert _original_translate_url is not None
        return _original_translate_url(tld=tld, path=path)
    return f"{endpoint.rstrip('/')}/{path}"


def _install_router() -> None:
    global _original_translate_url
    with _install_lock:
        if _gtts_tts._translate_url is not _routing_translate_url:
            _original_translate_url = _gtts_tts._translate_url
            _gtts_tts._translate_url = _routing_translate_url


@contextlib.contextmanager
def _routed(endpoint: str | None) -> Iterator[None]:
    """Within this block, on this thread, gTTS talks to endpoint (None: to Google)."""
    if endpoint is None:
        yield
        return
    _install_router()
    previous = getattr(_route, "endpoint", None)
    _route.endpoint = endpoint
    try:
        yield
    finally:
        _route.endpoint = previous


def _endpoint() -> str | None:
    return os.environ.get(ENDPOINT_ENV) or None


def _keep_whole(text: str) -> list[str]:
    return [text]


def _make_tts(text: str, lang: str, tld: str, timeout_s: float) -> Any:
    """A gTTS object that sends text (<= 100 chars) in exactly one request, as is."""
    return _gtts.gTTS(
        text,
        tld=tld,
        lang=lang,
        lang_check=False,  # checked against LANGUAGES; avoids gTTS's own lookups
        pre_processor_funcs=[],  # the pipeline already normalised the text
        tokenizer_func=_keep_whole,  # texts <= 100 chars are never tokenized anyway
        timeout=timeout_s,
    )


# --- One try, classified ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Failure:
    kind: str  # "http", "timeout", "connect", "noaudio", "truncated"
    status: int = 0
    reason: str = ""
    retry_after_s: float | None = None  # what a 429 or 503 asked us to wait

    @property
    def retryable(self) -> bool:
        if self.kind == "http":
            return self.status == 429 or self.status >= 500
        return True

    def message(self, tries: int, timeout_s: float, tld: str, lang: str) -> str:
        after = f"after {tries} {'try' if tries == 1 else 'tries'}"
        if self.kind == "timeout":
            return f"Google TTS did not answer within {timeout_s:g} s {after}."
        if self.kind == "connect":
            return (
                f"Google TTS could not be reached {after} (no network, DNS failure or a firewall)."
            )
        if self.kind == "truncated":
            return f"Google TTS sent a cut-short or broken MP3 {after}."
        if self.kind == "noaudio":
            return (
                f"Google TTS answered without audio {after} "
                f"(language '{lang}' refused or a change in Google's API)."
            )
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = self.reason or "error"
        cause = ""
        if self.status == 403:
            cause = " (request refused: a change in Google's API; try a newer gTTS)"
        elif self.status == 404:
            cause = f" (no TTS service at translate.google.{tld}: check the tld)"
        elif self.status >= 500:
            cause = " (a problem on Google's side)"
        elif self.status != 429:
            cause = " (request rejected)"
        return f"Google TTS answered {self.status} {phrase} {after}{cause}."


def _classify_request_error(exc: BaseException) -> _Failure:
    if isinstance(exc, requests.exceptions.Timeout) or "timed out" in str(exc).lower():
        return _Failure("timeout")
    return _Failure("connect")


def _classify_gtts_error(exc: BaseException) -> _Failure:
    response = getattr(exc, "rsp", None)
    if response is None:
        # gTTS raises without the cause; the requests exception is the context.
        context = exc.__context__
        return _classify_request_error(context) if context is not None else _Failure("connect")
    status = int(response.status_code)
    if status == 200:
        return _Failure("noaudio")
    return _Failure("http", status, str(response.reason or ""), _retry_after(response))


def _retry_after(response: Any) -> float | None:
    """Retry-After in seconds (the HTTP-date form is rare from Google: ignored)."""
    value = str(getattr(response, "headers", {}).get("Retry-After") or "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


# --- Audio ---------------------------------------------------------------------------------


def _pieces(text: str, max_chars: int) -> list[str]:
    """text in pieces of at most max_chars, cut at spaces (the chunker normally did it)."""
    if len(text) <= max_chars:
        return [text]
    return textwrap.wrap(text, max_chars, break_long_words=True, break_on_hyphens=False)


# --- The engine ------------------------------------------------------------------------------


def _full_jitter(cap: float) -> float:
    return random.uniform(0.0, cap)


class GttsEngine(Engine):
    NAME = "gtts"
    CAPS = Capabilities(
        summary="Google Translate TTS via gTTS, online; natural voice, rate-limited",
        licence="Google's terms of service apply to the audio",
        max_chars=100,
        languages=GTTS_LANGUAGES,
        sample_rate=24000,
        packs_sentences=True,
        network=True,
    )

    def __init__(
        self,
        options: EngineOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base_s: float = BACKOFF_BASE_S,
        backoff_cap_s: float = BACKOFF_CAP_S,
        jitter: Callable[[float], float] = _full_jitter,
    ) -> None:
        super().__init__(options)
        self._sleep = sleep
        self._backoff_base_s = backoff_base_s
        self._backoff_cap_s = backoff_cap_s
        self._jitter = jitter
        self._slots = threading.BoundedSemaphore(self.max_concurrency)
        self._count_lock = threading.Lock()
        self._requests_made = 0

    @property
    def max_concurrency(self) -> int:
        return max(1, self.options.concurrency)

    @property
    def tld(self) -> str:
        return self.options.tld

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries included."""
        with self._count_lock:
            return self._requests_made

    def unavailable_reason(self) -> str | None:
        if _gtts is None:
            return "the gTTS Python package is not installed (pip install gTTS)."
        if not shutil.which("ffmpeg"):
            return "ffmpeg is not installed (Debian package ffmpeg)."
        return None

    def auto_reason(self) -> str | None:
        reason = self.unavailable_reason()
        if reason is None and not probe(tld=self.tld):
            reason = "Google TTS did not answer a probe (no network?)."
        return reason

    def version(self) -> str:
        return str(_gtts.__version__) if _gtts is not None else "unknown"

    def settings(self) -> dict[str, Any]:
        return {"tld": self.tld, "voice": f"gtts-{self.tld}"}

    def backoff_cap(self, attempt: int) -> float:
        """Upper bound of the sleep after failed try number attempt (1-based)."""
        return float(min(self._backoff_cap_s, self._backoff_base_s * 2 ** (attempt - 1)))

    def synthesize(self, text: str, lang: str, out: Path) -> None:
        if _gtts is None:
            raise EngineError("the gTTS Python package is not installed (pip install gTTS).")
        rate = self.CAPS.sample_rate
        if _NOTHING_TO_SAY_RE.match(text):
            write_wav(out, silence(SILENCE_S * 1000, rate), rate)
            return
        lang = lang if lang in self.CAPS.languages else "fr"
        mp3 = b"".join(self._fetch(piece, lang) for piece in _pieces(text, self.CAPS.max_chars))
        try:
            mp3_to_wav(mp3, out, rate)
        except AudioError as exc:
            raise EngineError(f"the audio from Google TTS is unusable: {exc}") from None

    def _fetch(self, text: str, lang: str) -> bytes:
        """MP3 for text (<= MAX_CHARS), one request per try, retried on transient failures."""
        endpoint = _endpoint()
        timeout_s = float(self.options.timeout_s)
        tries = max(1, int(self.options.retries))
        for attempt in range(1, tries + 1):
            result = self._try_once(text, lang, timeout_s, endpoint)
            if isinstance(result, bytes):
                return result
            if not result.retryable or attempt == tries:
                raise EngineError(result.message(attempt, timeout_s, self.tld, lang))
            pause = self._jitter(self.backoff_cap(attempt))
            if result.retry_after_s is not None:  # honoured, within our cap
                pause = max(pause, min(result.retry_after_s, RETRY_AFTER_CAP_S))
            self._sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def _try_once(
        self, text: str, lang: str, timeout_s: float, endpoint: str | None
    ) -> bytes | _Failure:
        tts = _make_tts(text, lang, self.tld, timeout_s)
        with self._slots, _routed(endpoint):
            with self._count_lock:
                self._requests_made += 1
            try:
                audio = b"".join(tts.stream())
            except _gtts_tts.gTTSError as exc:
                return _classify_gtts_error(exc)
            except requests.exceptions.RequestException as exc:
                return _classify_request_error(exc)
        if not audio:
            return _Failure("noaudio")
        return audio if whole_frames(audio) else _Failure("truncated")


def probe(timeout_s: float = 2.0, tld: str = "fr") -> bool:
    """True when one tiny request ("Bonjour") brings audio back within about timeout_s.

    Honours AUDIOBOOK_GTTS_ENDPOINT. The request runs on a daemon thread so that a slow DNS
    resolution (which requests' timeout does not cover) cannot hold the caller longer.
    """
    if _gtts is None:
        return False
    endpoint = _endpoint()
    answer: list[bool] = []

    def ask() -> None:
        try:
            with _routed(endpoint):
                tts = _make_tts("Bonjour", "fr", tld, timeout_s)
                answer.append(any(tts.stream()))
        except Exception:  # any failure means "not usable now"
            answer.append(False)

    thread = threading.Thread(target=ask, name="gtts-probe", daemon=True)
    thread.start()
    thread.join(timeout_s)
    return bool(answer and answer[0])
