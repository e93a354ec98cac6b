"""The sites the console knows: ``--sites DIR`` (one catalog per bureau) or ``--config CFG``.

A site's slug names it in URLs and in the API: the file name without ``.yaml``
(``DIR/linjiang.yaml`` → ``linjiang``), or the folder name for ``DIR/linjiang/columns.yaml``.
Runs in the store are matched to a site by its ``site.name`` (the store keeps no slug today).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zwgk.audit.catalog import Config, ConfigError, load_config

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class SitesError(ValueError):
    """The site configs cannot be loaded; the message names the file."""


@dataclass(frozen=True)
class SiteEntry:
    slug: str
    config: Config

    @property
    def name(self) -> str:
        return self.config.site.name


def _candidates(folder: Path) -> list[tuple[str, Path]]:
    out = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            out.append((path.stem, path))
        elif path.is_dir() and (path / "columns.yaml").is_file():
            out.append((path.name, path / "columns.yaml"))
    return out


def load_sites(sites_dir: str | None = None, config: str | None = None,
               base_url: str | None = None) -> dict[str, SiteEntry]:
    """slug → site, in file-name order. ``base_url`` (only with one ``config``) serves the catalog
    at another address, as ``--base-url`` does for the other commands (the demo site)."""
    if bool(sites_dir) == bool(config):
        raise SitesError("give either --sites DIR or --config CFG")
    if sites_dir:
        if base_url:
            raise SitesError("--base-url goes with --config, not --sites")
        folder = Path(sites_dir)
        if not folder.is_dir():
            raise SitesError(f"--sites {sites_dir}: not a folder")
        found = _candidates(folder)
        if not found:
            raise SitesError(f"--sites {sites_dir}: no *.yaml site config in it")
    else:
        found = [(Path(config).stem, Path(config))]  # type: ignore[arg-type]
    sites: dict[str, SiteEntry] = {}
    names: dict[str, str] = {}
    for slug, path in found:
        if not SLUG_RE.match(slug):
            raise SitesError(f"{path}: {slug!r} cannot name a site in URLs (letters, digits, "
                             "'-', '_', '.'); rename the file")
        try:
            cfg = load_config(path, base_url=base_url)
        except ConfigError as exc:
            raise SitesError(f"config error: {exc}") from None
        if cfg.site.name in names:
            raise SitesError(f"{path}: site name {cfg.site.name!r} is also the name in "
                             f"{names[cfg.site.name]}; the store tells sites apart by name")
        names[cfg.site.name] = str(path)
        sites[slug] = SiteEntry(slug, cfg)
    return sites


__all__ = ["SiteEntry", "SitesError", "load_sites", "SLUG_RE"]
