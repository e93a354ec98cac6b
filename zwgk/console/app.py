"""The console's web application (Starlette): pages for people, ``/api`` for scripts.

Who may do what is decided in one place (``_user`` + ``_require``): a page without a login
redirects to the login form, the API answers 401; a viewer's spot-check is 403; every form that
changes something carries the session's CSRF token (the login form a double-submit cookie), and
a POST without it is 403. Every response carries a strict Content-Security-Policy (scripts and
styles only from /static, nothing inline), so crawled text that slipped through escaping could
still not run; Jinja2 escapes everything. A night's report is served with its own CSP, as
written by the report renderer.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from zwgk.console import backend, jobs
from zwgk.console.accounts import Accounts, Session, User, same_secret
from zwgk.console.egress import EgressRefused, allowed_origins, preflight, refusal
from zwgk.console.sites import SiteEntry

SESSION_COOKIE = "zwgk_session"
LOGIN_CSRF_COOKIE = "zwgk_login_csrf"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
STATIC = {
    "console.css": ("zwgk.console", "static/console.css", "text/css; charset=utf-8"),
    "console.js": ("zwgk.console", "static/console.js", "text/javascript; charset=utf-8"),
    "report.css": ("zwgk.report", "templates/report.css", "text/css; charset=utf-8"),
}
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
STATUS_ZH = {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "失败",
             "fail": "不合格", "warn": "需关注", "pass": "合格", "unknown": "无法判定"}
ROLE_ZH = {"viewer": "查看", "checker": "抽查", "admin": "管理"}


@dataclass
class ConsoleConfig:
    """What ``zwgk serve`` was given."""
    db: str
    sites: dict[str, SiteEntry]
    check_limit: int = jobs.DEFAULT_LIMIT
    as_of: str | None = None            # default 'today' of spot-checks (demo data: its day)
    download_delay: float | None = None  # spot-checks' delay (None: each site's own)
    secure_cookies: bool = False         # behind TLS: Secure cookies even if the proxy hides it
    config_paths: dict[str, str] = field(default_factory=dict)  # slug → catalog file
    base_url: str | None = None          # --base-url given with --config


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SecurityHeaders:
    """Pure ASGI middleware (streams stay streams): the headers above on every response, the
    console's CSP unless the route set its own."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in (("content-security-policy", CSP), *SECURITY_HEADERS.items()):
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("zwgk.console", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    from zwgk.report.html import safe_url

    env.filters["safe_url"] = safe_url
    env.filters["zh"] = lambda v: STATUS_ZH.get(v, v)
    env.globals["ROLE_ZH"] = ROLE_ZH
    return env


def trend_bars(trend: list[dict[str, Any]], width: int = 140, height: int = 28) -> list[dict[str, Any]]:
    """Bars of failed items per night for the overview's little chart (plain SVG attributes)."""
    if not trend:
        return []
    top = max(max(n["items_failed"] for n in trend), 1)
    step = width / len(trend)
    return [{"x": round(i * step + 1, 1), "w": round(max(step - 2, 1), 1),
             "h": round(max(n["items_failed"] / top * (height - 2), 1), 1),
             "y": round(height - max(n["items_failed"] / top * (height - 2), 1), 1),
             "hot": n["items_failed"] > 0, "label": f"{n['as_of']}：不合格事项{n['items_failed']}个"}
            for i, n in enumerate(trend)]


def create_app(cfg: ConsoleConfig) -> Starlette:
    engine = backend.console_engine(cfg.db)
    accounts = Accounts(engine)
    overview = backend.Overview(engine)
    reports = backend.Reports(cfg.db)
    dispatcher = jobs.Dispatcher(engine, cfg.check_limit)
    # Each site's own hosts: a check of site A never fetches site B's hosts either (its
    # politeness settings and its one-check-at-a-time rule are A's).
    origins = {slug: allowed_origins([s.config.site]) for slug, s in cfg.sites.items()}
    env = _env()

    # --- who is asking ---------------------------------------------------------------------

    def identify(request: Request) -> tuple[User | None, Session | None, bool]:
        """(user, session, by_token). A bearer token wins over a cookie."""
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return accounts.user_for_token(header[7:].strip()), None, True
        session = accounts.session(request.cookies.get(SESSION_COOKIE, ""))
        return (session.user if session else None), session, False

    def require(request: Request, role: str = "viewer", api: bool = False) -> tuple[User, Session | None]:
        user, session, _ = identify(request)
        if user is None:
            if api:
                raise HttpError(401, "authentication required: Authorization: Bearer TOKEN")
            raise _LoginRedirect(request.url.path)
        if not user.can(role):
            raise HttpError(403, f"{user.name} ({user.role}) may not do this: needs {role}")
        request.state.who = (user, session)
        return user, session

    def check_csrf(session: Session | None, token: str | None) -> None:
        if session is not None and not same_secret(session.csrf, token):
            raise HttpError(403, "missing or wrong CSRF token: reload the page and try again")

    def page(template: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        who = getattr(request.state, "who", None)
        user, session = who if who else identify(request)[:2]
        body = env.get_template(template).render(user=user, csrf=session.csrf if session else "",
                                                 sites=cfg.sites, path=request.url.path, **context)
        return HTMLResponse(body, status_code=status)

    def site_of(slug: str) -> SiteEntry:
        if slug not in cfg.sites:
            raise HttpError(404, f"no site {slug!r}")
        return cfg.sites[slug]

    # --- spot-checks (pages and API share this) --------------------------------------------

    async def start_check(user: User, via: str, data: dict[str, Any]) -> int:
        if not user.can("checker"):
            raise HttpError(403, f"{user.name} ({user.role}) may not start spot-checks")
        slug = str(data.get("site") or "")
        if slug not in cfg.sites:
            raise HttpError(400, f"unknown site {slug!r} (sites: {', '.join(cfg.sites)})")
        item_id = str(data.get("item") or "").strip() or None
        url = str(data.get("url") or "").strip() or None
        deadline = str(data.get("deadline") or "").strip() or None
        if bool(item_id) == bool(url):
            raise HttpError(400, "give either an item of the site or a column URL, not both")
        site = cfg.sites[slug]
        hosts = origins[slug]
        if url:
            reason = refusal(url, hosts)
            if reason:
                raise HttpError(400, f"refused {url!r}: {reason}")
            if not deadline:
                raise HttpError(400, "a column URL needs its 公开时限 (deadline), e.g. 季度更新")
        as_of = str(data.get("as_of") or cfg.as_of or date.today().isoformat())
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise HttpError(400, f"as_of: expected YYYY-MM-DD, got {as_of!r}") from None
        fields = {"db": cfg.db, "config_path": str(site.config.path), "base_url":
                  cfg.base_url, "item_id": item_id, "url": url, "deadline": deadline,
                  "as_of": as_of, "origins": tuple(hosts.entries()),
                  "download_delay": cfg.download_delay}
        probe = backend.CheckRequest(check_id=0, **fields)
        problem, columns = await run_in_threadpool(backend.target_columns, probe)
        if problem:
            raise HttpError(400, problem)
        try:
            await asyncio.gather(*(preflight(u, hosts, user_agent=site.config.site.user_agent)
                                   for u in columns))
        except EgressRefused as exc:
            raise HttpError(400, f"refused: {exc}") from None
        try:
            return await run_in_threadpool(dispatcher.submit, fields, site=slug,
                                           requested_by=user.name, via=via)
        except jobs.Busy as exc:
            raise HttpError(exc.status, str(exc)) from None

    def check_json(record: dict[str, Any]) -> dict[str, Any]:
        result = record.get("result") or {}
        return {"id": record["id"], "status": record["status"], "site": record["site"],
                "item": record["item_id"], "url": record["url"], "deadline": record["deadline"],
                "as_of": record["as_of"], "requested_by": record["requested_by"],
                "via": record["via"], "pages": record["pages"], "articles": record["articles"],
                "created_at": record["created_at"], "started_at": record["started_at"],
                "finished_at": record["finished_at"], "error": record["error"],
                "result_status": result.get("status"), "findings": result.get("findings", []),
                "newest_articles": result.get("articles", [])}

    # --- pages -----------------------------------------------------------------------------

    def login_form(request: Request) -> Response:
        token = secrets.token_urlsafe(24)
        response = page("login.html.j2", request, login_csrf=token,
                        next=_safe_next(request.query_params.get("next")), error=None)
        _set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
        return response

    async def login(request: Request) -> Response:
        form = await request.form()
        name, password = str(form.get("name") or "")[:100], str(form.get("password") or "")
        if not same_secret(request.cookies.get(LOGIN_CSRF_COOKIE), str(form.get("csrf") or "")):
            raise HttpError(403, "missing or wrong CSRF token: reload the login page")
        client = request.client.host if request.client else "?"
        if await run_in_threadpool(accounts.login_blocked, name, client):
            return _login_again(request, "登录失败次数过多，请15分钟后再试。", 429)
        user = await run_in_threadpool(accounts.authenticate, name, password, client)
        if user is None:
            return _login_again(request, "用户名或密码错误。", 401)
        sid, _ = await run_in_threadpool(accounts.open_session, user)
        response = RedirectResponse(_safe_next(str(form.get("next") or "")), status_code=303)
        _set_cookie(response, request, SESSION_COOKIE, sid)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
        return response

    def _login_again(request: Request, message: str, status: int) -> Response:
        token = secrets.token_urlsafe(24)
        response = page("login.html.j2", request, status=status, login_csrf=token, next="/",
                        error=message)
        _set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
        return response

    async def logout(request: Request) -> Response:
        _, session = require(request)
        form = await request.form()
        check_csrf(session, str(form.get("csrf") or ""))
        accounts.close_session(request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def home(request: Request) -> Response:
        require(request)
        lines = [overview.site(s) for s in cfg.sites.values()]
        return page("overview.html.j2", request, lines=lines,
                    bars={line["slug"]: trend_bars(line["trend"]) for line in lines})

    def site_page(request: Request) -> Response:
        require(request)
        site = site_of(request.path_params["slug"])
        runs = backend.nights(engine, site)
        latest = backend.item_results(engine, runs[0]["id"]) if runs else {}
        return page("site.html.j2", request, site=site, nights=runs, latest=latest)

    def night_report(request: Request) -> Response:
        require(request)
        site = site_of(request.path_params["slug"])
        run_id = request.path_params["run_id"]
        if backend.night(engine, site, run_id) is None:
            raise HttpError(404, f"no audited night {run_id} of {site.slug}")
        html = reports.html(site, run_id)
        headers = {}
        found = _META_CSP.search(html)
        if found:
            headers["content-security-policy"] = found.group(1).replace("&#39;", "'")
        return HTMLResponse(html, headers=headers)

    def item_page(request: Request) -> Response:
        require(request)
        site = site_of(request.path_params["slug"])
        item_id = request.path_params["item_id"]
        item = next((i for i in site.config.items if i.id == item_id), None)
        if item is None:
            raise HttpError(404, f"no item {item_id!r} in {site.slug}")
        return page("item.html.j2", request, site=site, item=item,
                    history=backend.item_history(engine, site, item_id))

    def checks_page(request: Request) -> Response:
        user, _ = require(request)
        return page("checks.html.j2", request, checks=jobs.check_history(engine), error=None,
                    as_of=cfg.as_of or date.today().isoformat())

    async def checks_submit(request: Request) -> Response:
        user, session = require(request)
        form = await request.form()
        check_csrf(session, str(form.get("csrf") or ""))
        if not user.can("checker"):
            raise HttpError(403, f"{user.name} ({user.role}) may not start spot-checks")
        data = {k: str(v) for k, v in form.items()}
        if data.get("pick"):  # the item form: "SLUG ITEM_ID" (slugs have no spaces)
            data["site"], _, data["item"] = data.pop("pick").partition(" ")
        try:
            check_id = await start_check(user, "web", data)
        except HttpError as exc:
            if exc.status in (401, 403):
                raise
            return page("checks.html.j2", request, status=exc.status, error=exc.message,
                        checks=jobs.check_history(engine), as_of=cfg.as_of or date.today().isoformat())
        return RedirectResponse(f"/checks/{check_id}", status_code=303)

    def check_page(request: Request) -> Response:
        require(request)
        record = jobs.check_record(engine, request.path_params["check_id"])
        if record is None:
            raise HttpError(404, "no such check")
        return page("check.html.j2", request, check=record)

    async def check_events(request: Request) -> Response:
        require(request)
        check_id = request.path_params["check_id"]
        if await run_in_threadpool(jobs.check_record, engine, check_id) is None:
            raise HttpError(404, "no such check")

        async def stream():
            last = None
            while True:
                record = await run_in_threadpool(jobs.check_record, engine, check_id)
                state = {k: record[k] for k in ("status", "pages", "articles")}
                if state != last:
                    last = state
                    yield f"data: {json.dumps(state)}\n\n"
                if record["status"] in ("done", "failed") or await request.is_disconnected():
                    return
                await asyncio.sleep(0.3)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"x-accel-buffering": "no"})

    def users_page(request: Request) -> Response:
        require(request, "admin")
        return page("users.html.j2", request, users=accounts.users(), error=None)

    async def users_submit(request: Request) -> Response:
        _, session = require(request, "admin")
        form = await request.form()
        check_csrf(session, str(form.get("csrf") or ""))
        from zwgk.console.accounts import AccountError

        try:
            if form.get("action") == "deactivate":
                accounts.deactivate(str(form.get("name") or ""))
            else:
                accounts.add_user(str(form.get("name") or ""), str(form.get("role") or ""),
                                  str(form.get("password") or ""))
        except AccountError as exc:
            return page("users.html.j2", request, status=400, users=accounts.users(),
                        error=str(exc))
        return RedirectResponse("/users", status_code=303)

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise HttpError(404, "no such file")
        package, path, media = STATIC[name]
        return Response(resources.files(package).joinpath(path).read_bytes(), media_type=media)

    # --- API -------------------------------------------------------------------------------

    def api_sites(request: Request) -> Response:
        require(request, api=True)
        return JSONResponse({"sites": [overview.site(s) for s in cfg.sites.values()]})

    async def api_checks_post(request: Request) -> Response:
        user, session = require(request, api=True)
        check_csrf(session, request.headers.get("x-csrf-token"))
        try:
            data = await request.json()
        except ValueError:
            raise HttpError(400, "expected a JSON object") from None
        if not isinstance(data, dict):
            raise HttpError(400, "expected a JSON object")
        check_id = await start_check(user, "api", data)
        return JSONResponse({"id": check_id, "status": "queued",
                             "url": f"/api/checks/{check_id}"}, status_code=202)

    def api_check(request: Request) -> Response:
        require(request, api=True)
        record = jobs.check_record(engine, request.path_params["check_id"])
        if record is None:
            raise HttpError(404, "no such check")
        return JSONResponse(check_json(record))

    def api_checks(request: Request) -> Response:
        require(request, api=True)
        return JSONResponse({"checks": jobs.check_history(engine)})

    # --- errors ----------------------------------------------------------------------------

    async def http_error(request: Request, exc: HttpError) -> Response:
        if request.url.path.startswith("/api/"):
            headers = {"www-authenticate": "Bearer"} if exc.status == 401 else None
            return JSONResponse({"error": exc.message}, status_code=exc.status, headers=headers)
        return page("error.html.j2", request, status=exc.status, code=exc.status,
                    message=exc.message)

    async def login_redirect(request: Request, exc: "_LoginRedirect") -> Response:
        return RedirectResponse("/login?next=" + quote(exc.path, safe="/"), status_code=303)

    routes = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", home),
        Route("/sites/{slug}", site_page),
        Route("/sites/{slug}/nights/{run_id:int}", night_report),
        Route("/sites/{slug}/items/{item_id}", item_page),
        Route("/checks", checks_page, methods=["GET"]),
        Route("/checks", checks_submit, methods=["POST"]),
        Route("/checks/{check_id:int}", check_page),
        Route("/checks/{check_id:int}/events", check_events),
        Route("/users", users_page, methods=["GET"]),
        Route("/users", users_submit, methods=["POST"]),
        Route("/static/{name}", static),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/sites", api_sites),
        Route("/api/checks", api_checks_post, methods=["POST"]),
        Route("/api/checks", api_checks, methods=["GET"]),
        Route("/api/checks/{check_id:int}", api_check),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette):
        yield
        dispatcher.shutdown()

    app = Starlette(routes=routes, exception_handlers={HttpError: http_error,
                                                       _LoginRedirect: login_redirect},
                    lifespan=lifespan)
    app.state.dispatcher = dispatcher
    app.state.secure_cookies = cfg.secure_cookies
    return SecurityHeaders(app)  # type: ignore[return-value]


class _LoginRedirect(Exception):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def _safe_next(value: str | None) -> str:
    """Only a path on this console (no //host, no scheme): an open redirect is a phishing aid."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def _set_cookie(response: Response, request: Request, name: str, value: str,
                max_age: int | None = None) -> None:
    secure = request.url.scheme == "https" or bool(getattr(request.app.state, "secure_cookies", False))
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=secure)


__all__ = ["ConsoleConfig", "create_app", "CSP"]
