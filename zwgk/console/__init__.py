"""The supervisors' console (``zwgk serve``): every bureau's nights in a browser, spot-checks on
demand, a JSON API for scripts.

Part of the application layer: it reads what the nightly runs stored and starts spot-checks
through the same path as ``zwgk check``; it adds only its own tables (users, tokens, sessions,
login attempts, spot-check records) in the same database. Modules:

- ``tables``: the console's tables (SQLAlchemy Core) and the engine for a ``--db`` path or URL.
- ``accounts``: users, roles, password and token hashing, sessions, CSRF, login rate limit.
- ``sites``: the configured sites (``--sites DIR`` or ``--config CFG``), keyed by slug.
- ``egress``: where a spot-check may fetch (never a proxy into the intranet).
- ``backend``: every call into the store and the spot-check path (the one place to re-point).
- ``jobs``: spot-checks off the request thread, one per site, a global limit.
- ``app``: the Starlette application: pages, the API, security headers.
- ``cli``: ``zwgk serve`` and ``zwgk user``.
"""
