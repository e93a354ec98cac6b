"""The overview of many sites (``OUT/overview.html``): rendering only, from overview.json's data.

One self-contained page in the report's style (same style sheet as the nightly index, same
Content-Security-Policy discipline: no script, the style by hash). Every value is escaped by the
template engine: site names and error messages come from configs and crawls.
"""
from __future__ import annotations

from typing import Any

from zwgk.report.html import _asset, _env, _sha256

UNITS_SHOWN = 5  # the worst 责任单位 of each site on the page; overview.json and the report have all


def _severity(site: dict[str, Any]) -> tuple[Any, ...]:
    """Worst first: not audited, vetoed, most fails, then by name."""
    return (site.get("status") == "done", not site.get("veto"), -int(site.get("fails") or 0),
            str(site.get("slug")))


def _spark(trend: list[dict[str, Any]]) -> tuple[str, str]:
    if len(trend) < 2:
        return "", ""
    peak = max(int(t["fails"]) for t in trend) or 1
    step = 100 / (len(trend) - 1)
    points = " ".join(f"{round(i * step, 1)},{round(20 - int(t['fails']) / peak * 20, 1)}"
                      for i, t in enumerate(trend))
    title = "；".join(f"{t['as_of']}：{t['fails']}" for t in trend)
    return points, f"严重问题（左旧右新）{title}"


def _units(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for u in units:
        trend = u.get("trend") or []
        delta = None
        if len(trend) >= 2:
            delta = float(trend[-1]["score"]) - float(trend[-2]["score"])
        out.append({**u, "delta": delta})
    return out


def render_overview(doc: dict[str, Any]) -> str:
    sites = []
    for s in sorted(doc.get("sites", []), key=_severity):
        spark, spark_title = _spark(s.get("trend") or [])
        sites.append({**s, "units": _units(s.get("units") or []), "spark": spark,
                      "spark_title": spark_title})
    counts = {"done": sum(1 for s in sites if s.get("status") == "done"),
              "failed": sum(1 for s in sites if s.get("status") != "done"),
              "veto": sum(1 for s in sites if s.get("veto"))}
    style = _asset("index.css") + _asset("overview.css")
    csp = (f"default-src 'none'; style-src {_sha256(style)}; img-src data:; base-uri 'none'; "
           "form-action 'none'")
    return _env().get_template("overview.html.j2").render(
        rows=sites, counts=counts, as_of=doc.get("as_of", ""),
        generated_at=doc.get("generated_at", ""), style=style, csp=csp, units_shown=UNITS_SHOWN)
