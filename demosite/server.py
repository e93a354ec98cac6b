"""Serve the demo site on a loopback port, in a daemon thread, quietly.

Why a thread and not a subprocess: tests and ``zwgk demo`` need the server for the length of one
``with`` block and want to read its request counts (``hits``); a daemon thread dies with the
process, so an interrupted test run never leaves a port bound.
"""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs

from demosite.site import Page, build_site, respond

_MAX_FORM_BYTES = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a crawl of ~400 pages reuses its connections
    server_version = "TRS_WCM/7.0"
    sys_version = ""
    server: "_Server"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: a test run must not fill stderr with access logs."""

    def _count(self) -> None:
        with self.server.lock:
            self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1

    def _send(self, page: Page, with_body: bool = True) -> None:
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._count()
        self._send(respond("GET", self.path))

    def do_HEAD(self) -> None:  # noqa: N802
        self._count()
        self._send(respond("HEAD", self.path), with_body=False)

    def do_POST(self) -> None:  # noqa: N802
        self._count()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, _MAX_FORM_BYTES)) if length > 0 else b""
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", errors="replace"),
                                             keep_blank_values=True).items()}
        self._send(respond("POST", self.path, form))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client hanging up mid-response is not worth a traceback."""


class DemoServer:
    """A running demo site. ``base_url`` ends with "/"; ``hits`` counts requests per target
    (path plus query string, as sent)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        build_site()  # render before the first request arrives
        self._server = _Server((host, port))
        self.host, self.port = self._server.server_address[:2]
        self.base_url = f"http://{self.host}:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, name="demosite",
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    @property
    def hits(self) -> dict[str, int]:
        return self._server.hits

    def reset_hits(self) -> None:
        with self._server.lock:
            self._server.hits.clear()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> "DemoServer":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def start(host: str = "127.0.0.1", port: int = 0) -> DemoServer:
    """Start serving the demo site; port 0 picks a free port."""
    return DemoServer(host, port)


__all__ = ["DemoServer", "start"]
