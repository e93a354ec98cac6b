"""Measure what hostile files and sites cost zwgk (issue 17): time and peak memory of refusing
resource bombs, and the hostile fault-server run. Prints a table for the README; asserts nothing.

    python benchmarks/hostile.py
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

PROBE = """
import resource, sys, time
started = time.monotonic()
try:
    {call}
    outcome = "accepted"
except Exception as exc:
    outcome = type(exc).__name__ + ": " + str(exc)[:90]
print(round(time.monotonic() - started, 2), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
      outcome, sep="\\t")
"""


def probe(call: str) -> tuple[str, str, str]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    out = subprocess.run([sys.executable, "-c", PROBE.format(call=call)], env=env,
                         capture_output=True, text=True, timeout=600).stdout.strip()
    seconds, mb, outcome = out.split("\t", 2)
    return seconds, mb, outcome


def main() -> None:
    from test_hostile_files import BOMB, _book

    tmp = Path(tempfile.mkdtemp(prefix="zwgk-hostile-"))
    merge = _book(tmp / "merge.xlsx", merge="A3:XFD1048576")
    bomb_yaml = tmp / "bomb.yaml"
    bomb_yaml.write_text(BOMB, encoding="utf-8")
    import zipfile

    zbomb = tmp / "zip.xlsx"
    with zipfile.ZipFile(_book(tmp / "base.xlsx")) as src, zipfile.ZipFile(zbomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # 1.5 GB of empty cells, declared
                head, tail = data.split(b"</sheetData>")
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head)
                    row = b'<row r="9"><c r="A9" t="inlineStr"><is><t>x</t></is></c></row>' * 20000
                    for _ in range(1200):
                        fh.write(row)
                    fh.write(b"</sheetData>" + tail)
            else:
                dst.writestr(info, data)
    rows = [("file", "bytes", "seconds", "peak RSS MB", "outcome")]
    for name, path, call in (
        ("xlsx, one merge A3:XFD1048576", merge,
         f"from zwgk.catalog_import import import_catalog; import_catalog({str(merge)!r})"),
        ("xlsx zip bomb", zbomb,
         f"from zwgk.catalog_import import import_catalog; import_catalog({str(zbomb)!r})"),
        ("columns.yaml alias bomb in docno_exempt", bomb_yaml,
         f"from zwgk.audit.catalog import load_config; load_config({str(bomb_yaml)!r})"),
    ):
        rows.append((name, f"{path.stat().st_size:,}", *probe(call)))
    for r in rows:
        print(" | ".join(r))

    from faultserver import HOSTILE_FAULTS, FaultServer, fault_config

    with FaultServer() as server:
        cfg = tmp / "h.yaml"
        cfg.write_text(fault_config(server.base_url, columns=HOSTILE_FAULTS), encoding="utf-8")
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "zwgk.cli", "run", "--config", str(cfg), "--db",
                               str(tmp / "h.sqlite"), "--out", str(tmp / "out"), "--as-of", "2026-11-20"],
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
        elapsed = time.monotonic() - started
        hits, offsite = sum(server.state.hits.values()), server.offsite.hits
    doc = json.loads((tmp / "out" / "findings.json").read_text(encoding="utf-8"))
    print(f"\nhostile site run: exit {proc.returncode}, {elapsed:.1f} s, {hits} requests, "
          f"{offsite} to the other port, requests {doc['run']['requests']}")
    for item in doc["items"]:
        print(item["name"], [(f["rule"], {k: v for k, v in f["details"].items()
                                          if k in ("reason", "bytes", "entries_skipped")})
                             for f in item["findings"]])


if __name__ == "__main__":
    main()
