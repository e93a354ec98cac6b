"""``python -m zwgk.demosite [--host 127.0.0.1] [--port 8000] [--articles N]``: serve the demo site
until Ctrl-C (``--articles``: pad it to N article pages, for crawl benchmarks)."""
from __future__ import annotations

import argparse
import sys
import time

from zwgk.demosite.server import start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zwgk.demosite",
                                     description="Serve the demo 住建局 website (loopback only).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 = any free)")
    parser.add_argument("--articles", type=int, default=None, metavar="N",
                        help="serve the site padded to N article pages (default: the declared "
                             "site, about 320; the seeded defects are kept)")
    args = parser.parse_args(argv)
    try:
        server = start(args.host, args.port, articles=args.articles)
    except ValueError as exc:
        print(f"--articles: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
