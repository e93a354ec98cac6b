"""``python -m zwgk.report.screenshot REPORT.html OUT.png [--at item-2.1]``: a PNG of a report, from
headless Chromium.

Long pages: Chromium cannot capture more than ~16,000 px in one picture (a full report is far
taller), so a tall region is captured in tiles of ``TILE_HEIGHT`` and stitched with Pillow; a
region taller than ``PART_HEIGHT`` (memory: width × height × 3 bytes while stitching) is written
as several pictures, ``OUT.png``, ``OUT-2.png``, … each continuing where the last one ends.

Why the DevTools protocol over a pipe (``--remote-debugging-pipe``) and no driver library: the
command must work on a server with nothing but the Debian ``chromium`` package, it opens no port,
and it can do what Chromium's own ``--screenshot`` switch cannot — capture the whole page or one
part of it (a unit's list, one item) at its real height. The flags switch off every background
request the browser would otherwise make; the report's Content-Security-Policy forbids any load
from the page itself.
"""
from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from zwgk.chromium import ChromiumNotFound, find_chromium

# The flags the browser tests use too: no sandbox (containers run as root), no GPU, no background
# networking (updates, safe browsing, metrics), no first-run dialogs.
HEADLESS_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-extensions", "--disable-sync",
                  "--disable-component-update", "--disable-default-apps", "--mute-audio",
                  "--hide-scrollbars", "--no-default-browser-check")
TILE_HEIGHT = 8000    # CSS pixels per capture, well under Chromium's ~16,384 px texture limit
PART_HEIGHT = 40000   # CSS pixels per written picture (≈ 170 MB while stitching at 1400 px wide)


class ScreenshotError(Exception):
    pass


class PipeBrowser:
    """Headless Chromium driven over the DevTools pipe (fd 3: commands in, fd 4: replies out;
    messages are JSON terminated by NUL)."""

    def __init__(self, binary: str, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="zwgk-shot-")
        cmd_r, self._cmd_w = os.pipe()
        self._resp_r, resp_w = os.pipe()

        def wire() -> None:
            """In the child: make fd 3 and fd 4 the pipe ends Chromium expects. Move both out of
            the way first (either may already sit on 3 or 4); subprocess closes every other fd
            after this runs, keeping 3 and 4 (pass_fds)."""
            high_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(resp_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [binary, *HEADLESS_FLAGS, "--remote-debugging-pipe",
             f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=wire)  # noqa: PLW1509 - single-threaded CLI
        os.close(cmd_r)
        os.close(resp_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise ScreenshotError("Chromium did not answer in time")
            chunk = os.read(self._resp_r, 1 << 16)
            if not chunk:
                raise ScreenshotError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: bool = True) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._cmd_w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ScreenshotError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def open(self, url: str, width: int, height: int) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget", {"targetId": target["targetId"],
                                                       "flatten": True}, session=False)
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False)
        except (ScreenshotError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._cmd_w, self._resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self._profile.cleanup()


# Where to cut: the whole page, or one element (by id) from its top, its whole height.
_CLIP_JS = """(function (id) {
  var el = id ? document.getElementById(id) : document.documentElement;
  if (!el) { return null; }
  var r = el.getBoundingClientRect();
  var top = r.top + window.scrollY;
  var height = id ? r.height + 16 : document.documentElement.scrollHeight;
  return {x: 0, y: Math.max(top - 8, 0), width: document.documentElement.clientWidth,
          height: Math.ceil(height)};
}(%s))"""


def part_paths(out: Path, parts: int) -> list[Path]:
    """OUT.png, OUT-2.png, OUT-3.png, … for a region written as ``parts`` pictures."""
    return [out if i == 0 else out.with_name(f"{out.stem}-{i + 1}{out.suffix}") for i in range(parts)]


def capture_region(chromium: "PipeBrowser", clip: dict[str, Any], out: Path) -> list[Path]:
    """Capture ``clip`` in tiles no taller than TILE_HEIGHT and stitch them into pictures no
    taller than PART_HEIGHT; return the files written."""
    from io import BytesIO

    from PIL import Image

    x, y, width = int(clip["x"]), int(clip["y"]), int(clip["width"])
    height = max(1, int(clip["height"]))
    parts = -(-height // PART_HEIGHT)
    written = []
    for index, path in enumerate(part_paths(out, parts)):
        top = index * PART_HEIGHT
        part_height = min(PART_HEIGHT, height - top)
        picture = Image.new("RGB", (width, part_height), "white")
        for offset in range(0, part_height, TILE_HEIGHT):
            tile_height = min(TILE_HEIGHT, part_height - offset)
            shot = chromium.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": x, "y": y + top + offset, "width": width, "height": tile_height,
                         "scale": 1}})
            with Image.open(BytesIO(base64.b64decode(shot["data"]))) as tile:
                picture.paste(tile.convert("RGB"), (0, offset))
        picture.save(path, "PNG")
        written.append(path)
    return written


def screenshot(report: Path, out: Path, *, width: int = 1400, height: int = 2400,
               at: str = "", full: bool = False, expand: bool = False,
               browser: str | None = None, timeout: float = 60.0) -> list[Path]:
    """Render ``report`` (a local HTML file) ``width`` CSS pixels wide into ``out``: the top
    ``height`` pixels, the element with id ``at``, or the whole page (``full``); ``expand``
    opens every collapsed list (article tables) first. Returns the pictures written (more than
    one only for a region taller than PART_HEIGHT)."""
    report = Path(report).resolve()
    if not report.is_file():
        raise ScreenshotError(f"{report}: no such file")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    chromium = PipeBrowser(find_chromium(browser), timeout=timeout)
    try:
        chromium.open(report.as_uri(), width, height)
        if expand:
            chromium.evaluate("document.querySelectorAll('details').forEach(function (d) "
                              "{ d.open = true; }); true")
        if at or full:
            clip = chromium.evaluate(_CLIP_JS % json.dumps(at))
            if clip is None:
                raise ScreenshotError(f"{report}: no element with id {at!r}")
        else:
            clip = {"x": 0, "y": 0, "width": width, "height": height}
        return capture_region(chromium, clip, out)
    finally:
        chromium.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zwgk.report.screenshot",
                                     description="Screenshot a zwgk report with headless Chromium.")
    parser.add_argument("report", help="report.html (or any local HTML file)")
    parser.add_argument("out", help="PNG file to write")
    parser.add_argument("--width", type=int, default=1400, help="viewport width (default 1400)")
    parser.add_argument("--height", type=int, default=2400,
                        help="height of the picture from the top (default 2400)")
    parser.add_argument("--at", default="", metavar="ID",
                        help="only this part of the page, e.g. summary, units, item-2.1")
    parser.add_argument("--full", action="store_true",
                        help=f"the whole page, however long (OUT-2.png, … past {PART_HEIGHT} px)")
    parser.add_argument("--expand", action="store_true", help="open every collapsed list first")
    parser.add_argument("--browser", help="Chromium binary (default: $ZWGK_CHROMIUM or PATH)")
    args = parser.parse_args(argv)
    try:
        paths = screenshot(Path(args.report), Path(args.out), width=args.width,
                           height=args.height, at=args.at, full=args.full, expand=args.expand,
                           browser=args.browser)
    except (ScreenshotError, ChromiumNotFound) as exc:
        print(f"screenshot: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
