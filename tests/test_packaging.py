"""What `pip install .` puts into site-packages (issue 12, item 8).

Generic top-level names such as ``audit`` or ``crawler`` collide with other installed packages, so
the wheel must hold exactly one top-level package, ``zwgk``, with the data files the commands need
(the shipped columns.yaml, report templates, the holiday table).
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_one_namespace_with_its_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(tmp_path.glob("zwgk-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/", 1)[0] for n in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"zwgk"}, sorted(top)
    for needed in ("zwgk/mapping/columns.yaml", "zwgk/report/templates/report.html.j2",
                   "zwgk/audit/data/workdays.yaml", "zwgk/cli.py",
                   # the store's Alembic revisions and the overview page (issue 13)
                   "zwgk/store/migrations/env.py", "zwgk/store/migrations/versions/0001_v1.py",
                   "zwgk/store/migrations/versions/0004_sites.py",
                   "zwgk/report/templates/overview.html.j2"):
        assert needed in names, needed
    # every module of the checkout is in the wheel (a folder without __init__.py is left out)
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "zwgk").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert modules <= set(names), sorted(modules - set(names))
    shipped = zipfile.ZipFile(wheel).read("zwgk/mapping/columns.yaml")
    assert shipped == (ROOT / "mapping" / "columns.yaml").read_bytes()
