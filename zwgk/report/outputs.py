"""Writing one night's output files all or nothing, and knowing later which folders are ours.

Why: a disk filling up while the report was written left a new findings.json beside last
night's report.html and a stray temp file; ``--keep`` then had to guess which folders zwgk wrote
(it deleted a directory named report.html, a .backup.tmp folder, an empty folder someone made).

- ``publish``: every file is first written into a staging folder beside the output folder (same
  file system). Only when all of them are on disk are they moved in: a new folder is renamed into
  place whole; into an existing folder each file is renamed over the old one (renames need no
  space, so a full disk leaves last night's files as they were). A failure removes the staging
  folder and re-raises: nothing half-written remains.
- ``MARKER``: a small JSON file naming the files zwgk wrote there. Pruning removes a folder only
  when it carries the marker and holds exactly those regular files (``foreign_entries``). A batch
  folder of ``zwgk run --sites`` also names its sites' folders, each of which must be exactly
  what zwgk wrote in turn.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

MARKER = ".zwgk-report.json"
MARKER_KIND = "zwgk report folder"


def _stage_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.zwgk-staging-{os.getpid()}"


def publish(out_dir: Path, files: dict[str, str | bytes], folders: Iterable[str] = ()) -> Path:
    """Write ``files`` (name -> text or bytes) into ``out_dir``, all or nothing, with the marker
    (which also names ``folders``: sub-folders zwgk wrote there, each with its own marker)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for name in [*files, MARKER]:  # never replace a folder or a link someone put there
        target = out_dir / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise IsADirectoryError(21, f"{target} is not a file zwgk wrote; not replacing it")
    stage = _stage_dir(out_dir)
    if stage.exists():
        shutil.rmtree(stage)
    names = sorted(files)
    try:
        stage.mkdir()
        for name, content in files.items():
            target = stage / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        (stage / MARKER).write_text(json.dumps({"kind": MARKER_KIND, "files": names,
                                                "folders": sorted(folders)},
                                               ensure_ascii=False), encoding="utf-8")
        for target in stage.iterdir():
            with open(target, "rb") as fh:
                os.fsync(fh.fileno())
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if not out_dir.exists():
        stage.rename(out_dir)
        return out_dir
    for name in [*names, MARKER]:
        (stage / name).replace(out_dir / name)
    stage.rmdir()
    return out_dir


def _marker(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kind") != MARKER_KIND:
        return None
    return data


def _names(data: dict, key: str) -> frozenset[str] | None:
    names = data.get(key, [])
    if not isinstance(names, list) or not all(isinstance(f, str) for f in names):
        return None
    return frozenset(names)


def marker_files(folder: Path) -> frozenset[str] | None:
    """The files zwgk's marker in ``folder`` names; None when there is no readable marker."""
    data = _marker(folder)
    return None if data is None or "files" not in data else _names(data, "files")


def marker_folders(folder: Path) -> frozenset[str]:
    """The sub-folders zwgk's marker in ``folder`` names (a batch's sites); empty without."""
    data = _marker(folder)
    return (_names(data, "folders") or frozenset()) if data is not None else frozenset()


def foreign_entries(folder: Path) -> list[str] | None:
    """What in ``folder`` zwgk did not write: None when the folder is not zwgk's at all (no
    marker, or a symlink), else the names of entries that are not regular files named by the
    marker, nor sub-folders it names that are exactly what zwgk wrote (an empty list: the folder
    is exactly what zwgk wrote)."""
    if folder.is_symlink() or not folder.is_dir():
        return None
    named = marker_files(folder)
    if named is None:
        return None
    subfolders = marker_folders(folder)
    out = []
    for entry in folder.iterdir():
        if entry.name == MARKER:
            continue
        if entry.name in subfolders and not entry.is_symlink() and entry.is_dir() \
                and foreign_entries(entry) == [] and not marker_folders(entry):
            continue
        if entry.name not in named or entry.is_symlink() or not entry.is_file():
            out.append(entry.name)
    return sorted(out)


def remove_ours(folder: Path) -> None:
    """Delete a folder ``foreign_entries`` found to be exactly zwgk's (sub-folders first)."""
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            remove_ours(entry)
        else:
            entry.unlink()
    folder.rmdir()


def check_writable(folder: Path, what: str) -> None:
    """Prove that ``folder`` could be created (if missing) and written: a probe file in it, or in
    its nearest existing parent, is written and removed; nothing else is created. Raises OSError
    with ``what`` in the message. Checked before a night's crawl, not found out after it."""
    folder = Path(folder).absolute()
    existing = folder
    while not existing.exists() and not existing.is_symlink() and existing.parent != existing:
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, f"{existing} is not a folder")
        probe = existing / f".zwgk-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OSError(exc.errno, f"{what} {folder} is not writable ({exc.strerror or exc})") from None


__all__ = ["MARKER", "publish", "marker_files", "marker_folders", "foreign_entries",
           "remove_ours", "check_writable"]
