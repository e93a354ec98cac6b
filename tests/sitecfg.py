"""Site configs for many-site tests: the shipped columns.yaml pointed at a demo server."""
from __future__ import annotations

from pathlib import Path

import yaml

from conftest import ROOT


def write_site(folder: Path, slug: str, base_url: str, *, name: str | None = None,
               delay: float = 0, items: tuple[str, ...] | None = None, **site: object) -> Path:
    """``site`` adds or overrides keys of the ``site:`` block (e.g. ``retry_backoff=0``)."""
    data = yaml.safe_load((ROOT / "mapping" / "columns.yaml").read_text(encoding="utf-8"))
    if items is not None:
        data["items"] = [it for it in data["items"] if str(it["id"]) in items]
    data["site"].update({"base_url": base_url, "download_delay": delay,
                         "name": name or f"演示站点 {slug}", **site})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
