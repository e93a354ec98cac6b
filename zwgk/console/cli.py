"""``zwgk serve`` and ``zwgk user``: registered into the main parser by ``register``.

Kept apart from zwgk/cli.py so the console's options and their checks live with the console;
nothing heavy (Starlette, uvicorn, argon2) is imported until one of these commands runs.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any


def _fail(message: str) -> None:
    from zwgk.cli import CliError

    raise CliError(message)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"password for {args.name}: ")
    if first != getpass.getpass("again: "):
        _fail("the two passwords differ")
    return first


def cmd_user(args: argparse.Namespace) -> int:
    from zwgk.console.accounts import AccountError, Accounts
    from zwgk.console.backend import console_engine

    accounts = Accounts(console_engine(args.db))
    try:
        if args.user_command == "add":
            user = accounts.add_user(args.name, args.role, _password(args))
            print(f"user {user.name} added ({user.role}) to {args.db}")
        elif args.user_command == "token":
            print(accounts.new_token(args.name))
            print(f"(a new API token for {args.name}: shown once, stored hashed; send it as "
                  "'Authorization: Bearer TOKEN')", file=sys.stderr)
        elif args.user_command == "role":
            accounts.set_role(args.name, args.role)
            print(f"user {args.name} is now {args.role}")
        elif args.user_command == "deactivate":
            accounts.deactivate(args.name)
            print(f"user {args.name} deactivated; their sessions and tokens no longer work")
        else:
            for u in accounts.users():
                print(f"{u['name']}\t{u['role']}\t{'active' if u['active'] else 'inactive'}\t"
                      f"{u['created_at']}")
    except AccountError as exc:
        _fail(f"user {args.user_command}: {exc}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from datetime import date

    from zwgk.console.sites import SitesError, load_sites

    try:
        sites = load_sites(args.sites, args.config, args.base_url)
    except SitesError as exc:
        _fail(str(exc))
    if args.as_of:
        try:
            date.fromisoformat(args.as_of)
        except ValueError:
            _fail(f"--as-of: expected YYYY-MM-DD, got {args.as_of!r}")
    import uvicorn

    from zwgk.console.app import ConsoleConfig, create_app

    app = create_app(ConsoleConfig(db=args.db, sites=sites, check_limit=args.check_limit,
                                   as_of=args.as_of, download_delay=args.download_delay,
                                   secure_cookies=args.secure_cookies, base_url=args.base_url))
    print(f"zwgk console: http://{args.host}:{args.port}/ — {len(sites)} site(s), store {args.db}",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level,
                proxy_headers=bool(args.forwarded_allow_ips),
                forwarded_allow_ips=args.forwarded_allow_ips or None)
    return 0


def register(sub: Any, default_db: str) -> None:
    """Add ``serve`` and ``user`` to the ``zwgk`` sub-command parser."""
    p = sub.add_parser("serve", help="the supervisors' web console on the store")
    p.add_argument("--db", default=default_db, help=f"the store (default: {default_db})")
    p.add_argument("--sites", metavar="DIR", help="a folder of site configs, one columns.yaml "
                   "per bureau (DIR/SLUG.yaml), as for zwgk run --sites")
    p.add_argument("--config", metavar="CFG", help="one site config instead of --sites")
    p.add_argument("--base-url", help="with --config: the site is served at this address "
                   "(as for zwgk run; e.g. the demo site)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: "
                   "127.0.0.1; put nginx with TLS in front for an intranet, see README)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--check-limit", type=int, default=2, metavar="N",
                   help="spot-checks running at once over all sites (default 2)")
    p.add_argument("--as-of", help="default 'today' of spot-checks (YYYY-MM-DD; default: today)")
    p.add_argument("--download-delay", type=float, default=None,
                   help="seconds between a spot-check's requests (default: each site's own)")
    p.add_argument("--secure-cookies", action="store_true",
                   help="mark cookies Secure (behind a TLS proxy)")
    p.add_argument("--forwarded-allow-ips", metavar="IPS",
                   help="trust X-Forwarded-For/-Proto from these proxy addresses (e.g. 127.0.0.1)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info",
                                                            "debug"])
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("user", help="console users: add, token, role, deactivate, list")
    p.add_argument("--db", default=default_db, help=f"the store (default: {default_db})")
    users = p.add_subparsers(dest="user_command", required=True)
    q = users.add_parser("add", help="add a user (password from a prompt or --password-stdin)")
    q.add_argument("name")
    q.add_argument("--role", required=True, choices=["viewer", "checker", "admin"])
    q.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    q = users.add_parser("token", help="print a new API token for the user (stored hashed)")
    q.add_argument("name")
    q = users.add_parser("role", help="change a user's role")
    q.add_argument("name")
    q.add_argument("role", choices=["viewer", "checker", "admin"])
    q = users.add_parser("deactivate", help="stop a user from logging in; revoke their tokens")
    q.add_argument("name")
    users.add_parser("list", help="list the users")
    for q in users.choices.values():
        q.add_argument("--db", default=argparse.SUPPRESS, help="the store")
    p.set_defaults(func=cmd_user)


__all__ = ["register", "cmd_serve", "cmd_user"]
