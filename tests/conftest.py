"""Shared fixtures: every test gets its own cache and output folders, never the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_google import FakeGoogle

from audiobook.engines.gtts import ENDPOINT_ENV


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # Google is unreachable in tests: point gTTS at a closed local port so probes fail fast.
    monkeypatch.setenv("AUDIOBOOK_GTTS_ENDPOINT", "http://127.0.0.1:9")


PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture
def fake_google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """A running fake, with AUDIOBOOK_GTTS_ENDPOINT pointing at it for this test only."""
    for var in PROXY_VARS:  # gTTS passes the environment's proxies to requests as is
        monkeypatch.delenv(var, raising=False)
    with FakeGoogle(hang_s=2.0) as fake:
        monkeypatch.setenv(ENDPOINT_ENV, fake.url)
        yield fake
