"""``bianmin import-divisions`` and ``bianmin import-pois`` on a fresh SQLite directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "geo"


def bianmin(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIANMIN_")}
    env.update({"BIANMIN_VAR_DIR": str(tmp), "PYTHONPATH": str(ROOT)})
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=tmp, text=True, capture_output=True,
                          env=env, timeout=180, check=False)


def test_import_commands_report_rejections_and_are_repeatable(tmp_path):
    assert bianmin(tmp_path, "migrate").returncode == 0
    divisions = bianmin(tmp_path, "import-divisions", str(DATA / "boundaries.geojson"))
    assert divisions.returncode == 1, divisions.stderr  # some features were rejected
    assert "created 4, updated 0, unchanged 0, rejected 3" in divisions.stdout
    first = bianmin(tmp_path, "import-pois", str(DATA / "import_mixed.geojson"))
    assert first.returncode == 1, first.stderr
    assert "created 4, updated 0, unchanged 0, rejected 6" in first.stdout
    assert "feature 4: properties.category" in first.stdout
    assert "importing" in first.stderr and "10/10" in first.stderr  # the tqdm progress bar
    second = bianmin(tmp_path, "import-pois", str(DATA / "import_mixed.geojson"))
    assert "created 0, updated 0, unchanged 4, rejected 6" in second.stdout
    missing = bianmin(tmp_path, "import-pois", str(tmp_path / "nope.geojson"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    (tmp_path / "point.json").write_text('{"type": "Point", "coordinates": [114, 22]}')
    wrong = bianmin(tmp_path, "import-pois", str(tmp_path / "point.json"))
    assert wrong.returncode == 2 and "FeatureCollection" in wrong.stderr
