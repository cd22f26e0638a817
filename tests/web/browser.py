"""Helpers for the browser tests: the app served by uvicorn on a free loopback port, and Debian's Chromium
driven by Playwright with every console error, page error and dialog recorded."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)



@contextmanager
def serving_corpus(db: str, specs: list) -> Iterator[tuple[str, list[str]]]:
    """Store ``specs`` in a new corpus at ``db`` and serve it; yields the base URL and the article ids."""
    from newsift.web import create_app
    from tests.web.corpus import store_specs

    require_chromium()
    ids = store_specs(db, specs)
    with serving(create_app(db)) as base:
        yield base, ids

@dataclass
class Watch:
    """What a page did that it should not: console errors, uncaught errors, dialogs (alert, confirm...)."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on(
            "console", lambda m: self.console_errors.append(f"{m.text} @ {page.url}") if m.type == "error" else None
        )
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

        def dialog(d) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

    def assert_clean(self) -> None:
        assert not self.console_errors, self.console_errors
        assert not self.page_errors, self.page_errors
        assert not self.dialogs, self.dialogs


@contextmanager
def browser_page() -> Iterator[tuple[object, Watch]]:
    """A fresh Chromium page and the :class:`Watch` over it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            watch = Watch()
            watch.attach(page)
            yield page, watch
        finally:
            browser.close()
