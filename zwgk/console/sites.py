"""The sites the console knows: ``--sites DIR`` (one catalog per bureau) or ``--config CFG``.

A site's slug names it in URLs and in the API, and is the key its nights carry in the store: the
config's file name as ``zwgk.sites.slug_of`` makes it (``DIR/linjiang.yaml`` → ``linjiang``).
Runs of a single ``--config`` (no key) are matched by the catalog's ``site.name``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zwgk.audit.catalog import Config, ConfigError, load_config


class SitesError(ValueError):
    """The site configs cannot be loaded; the message names the file."""


@dataclass(frozen=True)
class SiteEntry:
    slug: str
    config: Config

    @property
    def name(self) -> str:
        return self.config.site.name


def load_sites(sites_dir: str | None = None, config: str | None = None,
               base_url: str | None = None) -> dict[str, SiteEntry]:
    """slug → site, in file-name order. The folder is read and named exactly as ``zwgk run
    --sites`` reads it (``zwgk.sites``), so a slug here is the site key its nights carry.
    ``base_url`` (only with one ``config``) serves the catalog at another address, as
    ``--base-url`` does for the other commands (the demo site)."""
    from zwgk.sites import discover, job_config, slug_of
    from zwgk.usecases import ZwgkError

    if bool(sites_dir) == bool(config):
        raise SitesError("give either --sites DIR or --config CFG")
    found: list[tuple[str, Config]] = []
    try:
        if sites_dir:
            if base_url:
                raise SitesError("--base-url goes with --config, not --sites")
            found = [(job.slug, job_config(job)) for job in discover(sites_dir)]
        else:
            found = [(slug_of(Path(config)), load_config(config, base_url=base_url))]  # type: ignore[arg-type]
    except ZwgkError as exc:
        raise SitesError(str(exc)) from None
    except ConfigError as exc:
        raise SitesError(f"config error: {exc}") from None
    sites: dict[str, SiteEntry] = {}
    names: dict[str, str] = {}
    for slug, cfg in found:
        if cfg.site.name in names:
            raise SitesError(f"{cfg.path}: site name {cfg.site.name!r} is also the name in "
                             f"{names[cfg.site.name]}; give each bureau its own")
        names[cfg.site.name] = str(cfg.path)
        sites[slug] = SiteEntry(slug, cfg)
    return sites


__all__ = ["SiteEntry", "SitesError", "load_sites"]
