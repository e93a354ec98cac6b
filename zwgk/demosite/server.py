"""Serve the demo site on a loopback port, in a daemon thread, quietly.

Why a thread and not a subprocess: tests and ``zwgk demo`` need the server for the length of one
``with`` block and want to read its request counts (``hits``); a daemon thread dies with the
process, so an interrupted test run never leaves a port bound.
"""
from __future__ import annotations

import socket
import threading
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs

from zwgk.demosite.site import DemoSite, Page, demo_site

_MAX_FORM_BYTES = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a crawl of ~400 pages reuses its connections
    server_version = "TRS_WCM/7.0"
    sys_version = ""
    server: "_Server"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: a test run must not fill stderr with access logs."""

    def setup(self) -> None:
        """No Nagle: headers and body go out as two writes, and a small second write held back
        for the client's delayed ACK costs ~40 ms per keep-alive request on loopback."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _count(self) -> None:
        with self.server.lock:
            # HEAD (body-link checks, issue 15) apart: ``hits`` stays "pages downloaded".
            counts = self.server.head_hits if self.command == "HEAD" else self.server.hits
            counts[self.path] = counts.get(self.path, 0) + 1

    def _not_modified(self, page: Page) -> bool:
        """Conditional GET (RFC 9110 §13): If-None-Match wins over If-Modified-Since."""
        if page.status != 200:
            return False
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or page.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and page.modified is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            return since.tzinfo is not None and page.modified <= since
        return False

    def _send(self, page: Page, with_body: bool = True, conditional: bool = False) -> None:
        validators = page.status == 200 and page.modified is not None
        if conditional and self._not_modified(page):
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        if validators:
            self.send_header("ETag", page.etag)
            assert page.modified is not None
            self.send_header("Last-Modified", format_datetime(page.modified, usegmt=True))
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._count()
        self._send(self.server.site.respond("GET", self.path), conditional=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._count()
        self._send(self.server.site.respond("HEAD", self.path), with_body=False, conditional=True)

    def do_POST(self) -> None:  # noqa: N802
        self._count()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, _MAX_FORM_BYTES)) if length > 0 else b""
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", errors="replace"),
                                             keep_blank_values=True).items()}
        self._send(self.server.site.respond("POST", self.path, form))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A crawler opens several connections at once; the default backlog of 5 makes some wait
    # out the kernel's 1 s SYN retransmit, a loopback artefact no real web server shows.
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: DemoSite) -> None:
        super().__init__(address, _Handler)
        self.hits: dict[str, int] = {}
        self.head_hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self.site = site

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client hanging up mid-response is not worth a traceback."""


class DemoServer:
    """A running demo site. ``base_url`` ends with "/"; ``hits`` counts requests per target
    (path plus query string, as sent). Pages carry ETag and Last-Modified and answer conditional
    GETs with 304. ``set_site`` changes what is served without changing the address (a site that
    published or withdrew articles since the last crawl)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, articles: int | None = None,
                 variant: str | None = None) -> None:
        # Render before the first request arrives; a named variant (demosite.variants) is the
        # declared site a night later.
        if variant is not None:
            from zwgk.demosite.variants import named_site

            site = named_site(variant)
        else:
            site = demo_site(articles)
        self._server = _Server((host, port), site)
        self.articles = articles
        self.host, self.port = self._server.server_address[:2]
        self.base_url = f"http://{self.host}:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, name="demosite",
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    @property
    def hits(self) -> dict[str, int]:
        return self._server.hits

    @property
    def head_hits(self) -> dict[str, int]:
        """HEAD requests per target (body-link checks), not counted in ``hits``."""
        return self._server.head_hits

    def reset_hits(self) -> None:
        with self._server.lock:
            self._server.hits.clear()
            self._server.head_hits.clear()

    @property
    def site(self) -> DemoSite:
        return self._server.site

    def set_site(self, articles: int | None = None, new: int = 0,
                 removed: tuple[str, ...] = ()) -> DemoSite:
        """Serve another variant from now on (see ``demosite.site.demo_site``)."""
        site = demo_site(articles, new, tuple(removed))
        self._server.site = site
        self.articles = articles
        return site

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


def start(host: str = "127.0.0.1", port: int = 0, *, articles: int | None = None,
          variant: str | None = None) -> DemoServer:
    """Start serving the demo site; port 0 picks a free port. ``articles``: serve the site padded
    to that many article pages (benchmarks); None serves the declared site. ``variant``: a named
    variant of demosite.variants ("fixed": one defect repaired, one new)."""
    return DemoServer(host, port, articles=articles, variant=variant)


__all__ = ["DemoServer", "start"]
