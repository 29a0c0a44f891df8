"""The import direction is a contract (import-linter, configured in pyproject.toml): core knows
no domain app, and no model, service or selector imports the web or API layer."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_contracts_hold() -> None:
    run = lint(ROOT, ROOT / "src")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def test_core_importing_a_domain_app_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "src" / "itfabrik", tmp_path / "src" / "itfabrik",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "locale"))  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    money = tmp_path / "src" / "itfabrik" / "core" / "money.py"
    money.write_text(money.read_text() + "\nfrom itfabrik.accounts import models  # noqa\n")
    run = lint(tmp_path, tmp_path / "src")
    assert run.returncode == 1, run.stdout[-3000:]
    assert "BROKEN" in run.stdout
    assert "itfabrik.core.money -> itfabrik.accounts.models" in run.stdout
