"""Running the tests without the shared folder stops at once with a message naming what is missing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _pytest_with_shared(shared: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZWGK_SHARED": str(shared), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(ROOT / "tests" / "test_workdays.py")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_missing_shared_folder_stops_the_session_before_any_test(tmp_path):
    done = _pytest_with_shared(tmp_path / "nowhere")
    out = done.stdout + done.stderr
    assert done.returncode == 4, out  # pytest's usage error: nothing ran
    assert "seed/catalog.txt" in out and "realpages/manifest.tsv" in out
    assert "ZWGK_SHARED" in out
    assert " passed" not in out and " failed" not in out


def test_half_a_shared_folder_names_the_missing_half(tmp_path):
    (tmp_path / "realpages").mkdir()
    (tmp_path / "realpages" / "manifest.tsv").write_text("", encoding="utf-8")
    done = _pytest_with_shared(tmp_path)
    out = done.stdout + done.stderr
    assert done.returncode == 4, out
    assert "missing seed/catalog.txt." in out
