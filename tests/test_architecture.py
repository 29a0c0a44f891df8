"""The import direction is a contract (import-linter, configured in pyproject.toml): core knows
no domain app, and no model, service or selector imports the web or API layer."""

import ast
import os
import re
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


# Selectors are named for what they return (issue 5): `<entity>_list` / `<entity>_get`, or a
# predicate (`may_`, `is_`), a filter (`_q`), a number (`_count`), a figure set (`_summary`,
# `_report`). Private helpers start with "_".
SELECTOR_NAME = re.compile(r"^(may_|is_)\w+$|^\w+_(list|get|q|count|summary|report)$")
# core's generic "this queryset, this pk, else NotFound" is a lookup helper, not a selector of
# an entity; every app uses it under this one name.
SELECTOR_NAME_EXCEPTIONS = {("core", "get_or_not_found")}


def selector_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
    ]


def test_selectors_are_named_for_what_they_return() -> None:
    wrong = [
        f"{path.parent.name}.selectors.{name}"
        for path in sorted((ROOT / "src" / "itfabrik").glob("*/selectors.py"))
        for name in selector_names(path)
        if not SELECTOR_NAME.match(name)
        and (path.parent.name, name) not in SELECTOR_NAME_EXCEPTIONS
    ]
    assert wrong == []


def test_the_naming_rule_catches_a_selector_named_for_an_action(tmp_path: Path) -> None:
    sample = tmp_path / "selectors.py"
    sample.write_text("def pending_approvals():\n    pass\n\ndef order_list():\n    pass\n")
    names = selector_names(sample)
    assert [n for n in names if not SELECTOR_NAME.match(n)] == ["pending_approvals"]
