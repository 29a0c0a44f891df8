"""Adding an app needs no edit in core, tenancy, accounts or the URL files beyond INSTALLED_APPS:
the example app in tests/plugin_example registers an action, a menu entry, a start-page panel,
an API route and a demo step, and its checks (run with that app installed) find all five."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent


@pytest.mark.own_sqlite_database
def test_the_example_app_plugs_in_with_one_line_of_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings",
        "PYTHONPATH": os.pathsep.join(
            [str(HERE / "plugin_example"), os.environ.get("PYTHONPATH", "")]
        ),
        "ITFABRIK_DATA_DIR": str(tmp_path),
    }
    # Its own SQLite database: the run around it may hold the PostgreSQL test database.
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
            "-o", "python_files=check_*.py", "--rootdir", str(ROOT),
            str(HERE / "plugin_example" / "check_plugin.py"),
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
    assert "failed" not in run.stdout
