"""TRS WCM static column pages: ``index.html``, ``index_1.html`` … announced only by a script.

The pager is drawn by JavaScript, so the static HTML holds no page links; the script call
carries everything: ``createPageHTML(7, 0, "index", "html")`` (7 pages, this is page 0), or the
variant with a container id and a record count ``createPageHTML('page_div', 7, 1, 'index',
'html', 95)`` where pages count from 1 (``index.html`` is page 1, then ``index_2.html`` …
``index_7.html``). Arguments may be variables (``var countPage = 7``). Older templates have no
call but ``var countPage = 7; var currentPage = 0`` plus ``document.write`` of
``"index" + "_" + nextPage + ".html"`` links.

Numbering: on the first page ``current`` is 0 (0-based: others are name_1 … name_{n-1}) or 1
(1-based: others are name_2 … name_n). Only the first page announces the other pages: readers of
later pages return none, the first page already listed them all.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .dom import HtmlElement, safe_urljoin
from .paging import Paging

_CALL_RE = re.compile(r"\bcreatePage(?:HTML|Html|html)\s*\(([^()]*)\)")
_NUM_ASSIGN_RE = re.compile(r"\b([A-Za-z_$][\w$]*)\s*=\s*['\"]?\s*(\d{1,7})\s*['\"]?\s*(?=[;,\n\r/)}]|$)")
_STR_ASSIGN_RE = re.compile(r"\b([A-Za-z_$][\w$]*)\s*=\s*['\"]([\w.-]{1,60})['\"]")
_INT_RE = re.compile(r"^\d{1,7}$")
_NAME_RE = re.compile(r"^[\w.-]{1,80}$")
_EXT_RE = re.compile(r"^[A-Za-z0-9]{2,6}$")
_COUNT_VAR_RE = re.compile(r"^(?:count_?page|page_?count|total_?page|page_?total|m_n_?page_?count)$", re.I)
_CURRENT_VAR_RE = re.compile(r"^(?:current_?page|curr?_?page|m_n_?curr(?:ent)?_?page|page_?index)$", re.I)
# "index" + "_" + …   or   "index_" + …   followed by  "." + "html" / ".html"
_WRITE_NAME_RE = re.compile(r"[\"']([\w-]{1,60})(?:_[\"']|[\"']\s*\+\s*[\"']_[\"'])\s*\+")
_WRITE_EXT_RE = re.compile(r"[\"']\.(?:[\"']\s*\+\s*[\"'])?(s?html?|jsp|php|aspx?)[\"\\]")
_SCRIPT_MARK_RE = re.compile(r"createPage|countPage|currentPage", re.I)
_MAX_PAGES = 100000


def read(root: HtmlElement, base: str) -> Paging | None:
    """Pagination announced by a TRS script, or None when the page has none."""
    assignments: tuple[dict[str, int], dict[str, str]] | None = None
    for script in root.iter("script"):
        code = script.text or ""
        if not _SCRIPT_MARK_RE.search(code):
            continue
        if assignments is None:
            assignments = _assignments(root)
        numbers, strings = assignments
        for m in _CALL_RE.finditer(code):
            paging = _from_call(m.group(1), numbers, strings, base)
            if paging is not None:
                paging.anchor = script
                return paging
        paging = _from_variables(code, numbers, base)
        if paging is not None:
            paging.anchor = script
            return paging
    return None


def _assignments(root: HtmlElement) -> tuple[dict[str, int], dict[str, str]]:
    """First numeric / string value assigned to each script variable on the page."""
    numbers: dict[str, int] = {}
    strings: dict[str, str] = {}
    for script in root.iter("script"):
        code = script.text or ""
        for m in _NUM_ASSIGN_RE.finditer(code):
            numbers.setdefault(m.group(1), int(m.group(2)))
        for m in _STR_ASSIGN_RE.finditer(code):
            strings.setdefault(m.group(1), m.group(2))
    return numbers, strings


def _from_call(arg_text: str, numbers: dict[str, int], strings: dict[str, str],
               base: str) -> Paging | None:
    args: list[int | str] = []
    for raw in arg_text.split(","):
        a = raw.strip()
        if len(a) >= 2 and a[0] == a[-1] and a[0] in "'\"":
            inner = a[1:-1].strip()
            args.append(int(inner) if _INT_RE.match(inner) else inner)
        elif _INT_RE.match(a):
            args.append(int(a))
        elif a in numbers:
            args.append(numbers[a])
        elif a in strings:
            args.append(strings[a])
        else:
            return None  # an unresolvable argument: a function definition or an expression
    # Find the page name and extension: two consecutive strings, the second an extension.
    for i in range(len(args) - 1):
        name, ext = args[i], args[i + 1]
        if not (isinstance(name, str) and isinstance(ext, str)):
            continue
        if not (_NAME_RE.match(name) and _EXT_RE.match(ext)):
            continue
        before = args[:i]
        nums = [a for a in before if isinstance(a, int)]
        if len(nums) < 2:
            return None
        has_container = isinstance(before[0], str)
        count, current = nums[0], nums[1]
        after = [a for a in args[i + 2:] if isinstance(a, int)]
        total_records = after[0] if after else None
        return _pages(base, name, ext, count, current, has_container, total_records)
    return None


def _from_variables(code: str, numbers: dict[str, int], base: str) -> Paging | None:
    count = next((v for k, v in numbers.items() if _COUNT_VAR_RE.match(k)), None)
    current = next((v for k, v in numbers.items() if _CURRENT_VAR_RE.match(k)), None)
    name_m = _WRITE_NAME_RE.search(code)
    if count is None or current is None or name_m is None:
        return None
    ext_m = _WRITE_EXT_RE.search(code)
    ext = ext_m.group(1) if ext_m else _url_ext(base) or "html"
    return _pages(base, name_m.group(1), ext, count, current, False, None)


def _url_ext(url: str) -> str | None:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[1] if "." in last else None


def _pages(base: str, name: str, ext: str, count: int, current: int, has_container: bool,
           total_records: int | None) -> Paging | None:
    if count < 0 or count > _MAX_PAGES:
        return None
    paging = Paging(style="trs", total_pages=count, total_records=total_records)
    try:
        last = urlsplit(base).path.rsplit("/", 1)[-1]
    except ValueError:
        return paging
    first_name = f"{name}.{ext}"
    if last in ("", first_name):
        first = True
    elif last.startswith(name + "_") and last.endswith("." + ext) \
            and last[len(name) + 1:-len(ext) - 1].isdigit():
        first = False
    else:  # the page is not named like its pages (a rewritten URL): trust ``current``
        first = current == 0 or (has_container and current == 1)
    if not first:
        return paging
    one_based = current == 1
    numbers = range(2, count + 1) if one_based else range(1, count)
    for k in numbers:
        url = safe_urljoin(base, f"{name}_{k}.{ext}")
        if url is not None:
            paging.next_urls.append(url)
    return paging
