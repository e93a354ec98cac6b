"""How the console feels: the click-to-result time of a spot-check, and the overview page under
many viewers at once.

    python benchmarks/console.py [--checks 5] [--viewers 50] [--requests 20]

Serves the bundled demo site on loopback, crawls one night of it into a fresh store (``zwgk
run``), adds a checker, and starts ``zwgk serve`` (real uvicorn, one process, the default two
check workers) in a subprocess. Then:

1. click-to-result: ``POST /api/checks`` for the demo's 3-page column 5.1 (29 articles) — what
   the browser form sends — and poll ``GET /api/checks/ID`` every 0.1 s until it is done; the
   time from the POST to the result, ``--checks`` times. Includes the egress pre-flight, starting
   a fresh worker process and the crawl itself.
2. the overview: ``--viewers`` concurrent viewers, each logged in with its own session, each
   loading ``/`` ``--requests`` times back to back (an asyncio loop of httpx clients); latency
   p50 / p95 / max and pages per second.

Prints numbers only; the README quotes them.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zwgk.console.accounts import Accounts  # noqa: E402
from zwgk.console.tables import engine_for  # noqa: E402
from zwgk.demosite.server import start  # noqa: E402
from zwgk.demosite.site import DEMO_AS_OF  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _login(client: httpx.AsyncClient, name: str, password: str) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = await client.post("/login", data={"name": name, "password": password, "csrf": csrf})
    assert r.status_code == 303, r.text


async def _viewer(client: httpx.AsyncClient, n: int, out: list[float]) -> None:
    for _ in range(n):
        t0 = time.perf_counter()
        r = await client.get("/")
        out.append(time.perf_counter() - t0)
        assert r.status_code == 200


async def _overview(base: str, viewers: int, requests: int) -> tuple[list[float], float]:
    """Log every viewer in first (argon2 is slow on purpose), then load the page together."""
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(viewers)]
    for i, client in enumerate(clients):
        await _login(client, f"viewer{i}", "bench-password")
    latencies: list[float] = []
    t0 = time.perf_counter()
    await asyncio.gather(*(_viewer(client, requests, latencies) for client in clients))
    wall = time.perf_counter() - t0
    for client in clients:
        await client.aclose()
    return latencies, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=5)
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="overview loads per viewer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-console-") as tmp, start() as demo:
        db = str(Path(tmp) / "store.sqlite")
        subprocess.run([sys.executable, "-m", "zwgk.cli", "run", "--db", db, "--base-url",
                        demo.base_url, "--as-of", DEMO_AS_OF.isoformat(), "--download-delay", "0",
                        "--out", str(Path(tmp) / "reports")], env=ENV, cwd=tmp,
                       capture_output=True, check=False)
        accounts = Accounts(engine_for(db))
        accounts.add_user("checker", "checker", "bench-password")
        for i in range(args.viewers):
            accounts.add_user(f"viewer{i}", "viewer", "bench-password")
        token = accounts.new_token("checker")
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "zwgk.cli", "serve", "--db", db, "--config",
             str(ROOT / "mapping" / "columns.yaml"), "--base-url", demo.base_url, "--port",
             str(port), "--as-of", DEMO_AS_OF.isoformat(), "--download-delay", "0",
             "--log-level", "warning"], env=ENV, cwd=tmp)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(base + "/login", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                               timeout=120)
            def one_check() -> tuple[float, dict]:
                t0 = time.perf_counter()
                r = api.post("/api/checks", json={"site": "columns", "item": "5.1"})
                assert r.status_code == 202, r.text
                while True:
                    body = api.get(f"/api/checks/{r.json()['id']}").json()
                    if body["status"] in ("done", "failed"):
                        break
                    time.sleep(0.1)
                assert body["status"] == "done", body
                return time.perf_counter() - t0, body

            # The first check after start waits for the worker processes to warm up (import
            # Scrapy and the extractors); later ones find a warm standby worker.
            first, _ = one_check()
            times = []
            for _ in range(args.checks):
                time.sleep(3)  # a supervisor reads the result; the next standby warms meanwhile
                elapsed, body = one_check()
                times.append(elapsed)
            print(f"spot-check click-to-result, demo column 5.1 (3 list pages, "
                  f"{body['articles']} articles): first after start {first:.2f} s; then "
                  f"{args.checks} runs: median {statistics.median(times):.2f} s, "
                  f"min {min(times):.2f} s, max {max(times):.2f} s")
            latencies, wall = asyncio.run(_overview(base, args.viewers, args.requests))
            ms = [x * 1000 for x in latencies]
            print(f"overview page, {args.viewers} concurrent viewers x {args.requests} loads: "
                  f"p50 {_pct(ms, 0.5):.0f} ms, p95 {_pct(ms, 0.95):.0f} ms, max {max(ms):.0f} ms, "
                  f"{len(ms) / wall:.0f} pages/s")
        finally:
            server.terminate()
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
