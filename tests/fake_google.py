"""A local fake of Google Translate's TTS endpoint, for the gTTS engine's tests and benchmark.

It answers POST /_/TranslateWebserverUi/data/batchexecute the way Google does: the `f.req`
form field carries the text, the answer carries base64 MP3 in a `jQ1olc` line. The MP3 is real
(espeak-ng + ffmpeg, cached per text). It listens on 127.0.0.1 only and sets nothing global.

    with FakeGoogle(latency=0.1) as fake:
        os.environ["AUDIOBOOK_GTTS_ENDPOINT"] = fake.url   # (tests use monkeypatch)
        fake.fail_next(429, 2)        # the next two requests get 429, then normal answers
        ...
        fake.requests, fake.max_in_flight, fake.texts

As a script (the benchmark): python tests/fake_google.py --port 8765 --latency 0.15
serves until killed; GET /_fake/stats returns the counters as JSON.
"""

from __future__ import annotations

import argparse
import base64
import json
import signal
import subprocess
import sys
import threading
import urllib.parse
from collections import deque
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

RPC_ID = "jQ1olc"
RPC_PATH = "/_/TranslateWebserverUi/data/batchexecute"
STATS_PATH = "/_fake/stats"
ESPEAK_VOICES = {"fr", "en", "de", "es", "it", "pt", "nl", "la", "ru"}
FAILURE_KINDS = ("hang", "noaudio", "empty", "truncated", "tiny", "garbage", "drop")
# besides HTTP status codes; "429+3" is a 429 with Retry-After: 3


def make_mp3(text: str, lang: str = "fr") -> bytes:
    """Real MP3 speech (24 kHz mono) for text: espeak-ng piped into ffmpeg."""
    voice = lang if lang in ESPEAK_VOICES else "fr"
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "--stdout", "--stdin"],
        input=text.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    encode = ["ffmpeg", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", "-ac", "1"]
    encode += ["-ar", "24000", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"]
    return subprocess.run(encode, input=wav, capture_output=True, check=True, timeout=60).stdout


def parse_freq(body: str) -> tuple[str, str]:
    """(text, lang) from a gTTS request body `f.req=<url-quoted JSON>&`."""
    freq = urllib.parse.parse_qs(body, strict_parsing=False)["f.req"][0]
    rpc = json.loads(freq)
    rpc_id, parameter = rpc[0][0][0], rpc[0][0][1]
    if rpc_id != RPC_ID:
        raise ValueError(f"unexpected rpc id {rpc_id!r}")
    text, lang = json.loads(parameter)[:2]
    return str(text), str(lang)


def rpc_answer(payload: str) -> bytes:
    """A batchexecute answer whose jQ1olc line carries payload (a JSON string literal body)."""
    line = json.dumps(
        [["wrb.fr", RPC_ID, payload, None, None, None, "generic"]], separators=(",", ":")
    )
    data = json.dumps([["di", 42], ["af.httprm", 41, "1234", 7]], separators=(",", ":"))
    return f")]}}'\n\n{len(line)}\n{line}\n{len(data)}\n{data}\n".encode()


class FakeGoogle:
    """The fake server. Thread-safe counters; failures scripted with fail_next().

    latency: seconds each request waits before its answer (settable later).
    hang_s: how long a "hang" failure keeps the request without any answer.
    port: 0 picks a free port; the address is always 127.0.0.1.
    """

    def __init__(self, latency: float = 0.0, *, port: int = 0, hang_s: float = 5.0) -> None:
        self.latency = latency
        self.hang_s = hang_s
        self._lock = threading.Lock()
        self._failures: deque[int | str] = deque()
        self._failing_texts: dict[str, int | str] = {}
        self._mp3: dict[tuple[str, str], bytes] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.texts: list[str] = []
        self.answered: list[int | str] = []  # what each request got: status code or kind
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True

    # --- control ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The value for AUDIOBOOK_GTTS_ENDPOINT."""
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, kind: int | str, times: int = 1) -> None:
        """The next `times` requests fail with kind: an HTTP status (429, 500, 503, 403...),
        "hang" (no answer for hang_s), "noaudio" (200 with an empty jQ1olc payload) or
        "empty" (200 without any jQ1olc line)."""
        if not isinstance(kind, int) and kind not in FAILURE_KINDS and "+" not in str(kind):
            raise ValueError(f"unknown failure {kind!r} (an HTTP status or {FAILURE_KINDS})")
        with self._lock:
            self._failures.extend([kind] * times)

    def fail_text(self, marker: str, kind: int | str) -> None:
        """Every request whose text contains marker fails with kind (as in fail_next)."""
        with self._lock:
            self._failing_texts[marker] = kind

    def reset(self) -> None:
        """Forget the counters and the scripted failures (keeps the MP3 cache)."""
        with self._lock:
            self._failures.clear()
            self._failing_texts.clear()
            self.requests = self.max_in_flight = 0
            self.texts = []
            self.answered = []

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "in_flight": self.in_flight,
                "max_in_flight": self.max_in_flight,
                "texts": list(self.texts),
                "answered": list(self.answered),
                "pending_failures": list(self._failures),
            }

    def start(self) -> FakeGoogle:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fake-google-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases hanging and waiting handlers
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def serve_forever(self) -> None:
        """Serve on the calling thread until shutdown() (the script's mode)."""
        self._server.serve_forever(poll_interval=0.2)

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- serving ------------------------------------------------------------------------------

    def _audio(self, text: str, lang: str) -> bytes:
        key = (text, lang)
        with self._lock:
            cached = self._mp3.get(key)
        if cached is None:  # synthesized outside the lock: requests stay concurrent
            cached = make_mp3(text, lang)
            with self._lock:
                self._mp3[key] = cached
        return cached

    def _begin(self, text: str) -> int | str | None:
        with self._lock:
            self.requests += 1
            self.texts.append(text)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            for marker, kind in self._failing_texts.items():
                if marker in text:
                    return kind
            return self._failures.popleft() if self._failures else None

    def _end(self, answered: int | str) -> None:
        with self._lock:
            self.in_flight -= 1
            self.answered.append(answered)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "FakeGoogle/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

            def _send(
                self, status: int, body: bytes, ctype: str = "text/plain",
                headers: dict[str, str] | None = None,
            ) -> None:  # fmt: skip
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                if self.path == STATS_PATH:
                    body = json.dumps(fake.stats()).encode()
                    self._send(200, body, "application/json")
                else:
                    self._send(404, b"not found")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", errors="replace")
                if urllib.parse.urlsplit(self.path).path != RPC_PATH:
                    self._send(404, b"not found")
                    return
                try:
                    text, lang = parse_freq(body)
                except (KeyError, IndexError, ValueError, TypeError):
                    self._send(400, b"bad f.req")
                    return
                failure = fake._begin(text)
                # In flight ends before the answer is written, so that a client that got
                # its answer and sends the next request is never counted twice.
                answered: int | str = failure if failure is not None else 200
                try:
                    if failure == "hang":
                        fake._stopping.wait(fake.hang_s)
                        return  # the client has given up; close without answering
                    if fake.latency > 0:
                        fake._stopping.wait(fake.latency)
                    headers: dict[str, str] = {}
                    if isinstance(failure, str) and "+" in failure:  # "429+3": Retry-After
                        code, after = failure.split("+")
                        failure, headers = int(code), {"Retry-After": after}
                    if failure == "drop":
                        self.close_connection = True
                        return  # the connection closes without an answer
                    if isinstance(failure, int):
                        payload = HTTPStatus(failure).phrase.encode()
                    elif failure in ("truncated", "tiny", "garbage"):
                        mp3 = fake._audio(text, lang)
                        cut = {"truncated": mp3[: len(mp3) // 2], "tiny": mp3[:100]}
                        body = cut.get(str(failure), b"\x13\x37" * 300)
                        payload = rpc_answer(json.dumps([base64.b64encode(body).decode()]))
                    elif failure == "noaudio":
                        payload = rpc_answer("[]")
                    elif failure == "empty":
                        payload = b")]}'\n\n"
                    else:
                        b64 = base64.b64encode(fake._audio(text, lang)).decode("ascii")
                        payload = rpc_answer(json.dumps([b64]))
                finally:
                    fake._end(answered)
                status = failure if isinstance(failure, int) else 200
                self._send(status, payload, "application/json; charset=utf-8", headers)

        return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a fake Google TTS on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument(
        "--fail",
        action="append",
        default=[],
        metavar="KIND[:N]",
        help="script failures for the first requests, e.g. 429:2, 503, hang, noaudio",
    )
    parser.add_argument("--hang", type=float, default=5.0, help="seconds a 'hang' lasts")
    args = parser.parse_args(argv)
    fake = FakeGoogle(args.latency, port=args.port, hang_s=args.hang)
    for spec in args.fail:
        kind, _, times = spec.partition(":")
        fake.fail_next(int(kind) if kind.isdigit() else kind, int(times or 1))

    def stop(signum: int, frame: object) -> None:
        # shutdown() waits for serve_forever(), which runs on this thread: call it elsewhere.
        threading.Thread(target=fake._server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    print(f"fake Google TTS on {fake.url} (AUDIOBOOK_GTTS_ENDPOINT={fake.url})", flush=True)
    try:
        fake.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake._stopping.set()
        fake._server.server_close()
        stats = fake.stats()
        print(
            f"served {stats['requests']} requests, max {stats['max_in_flight']} in flight",
            file=sys.stderr,
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
