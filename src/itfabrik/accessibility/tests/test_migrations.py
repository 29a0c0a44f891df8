"""The model moved from core to this app without losing a report (ADR 0019): a database that
was migrated before the move keeps its rows, its content type and its queued mail jobs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BEFORE = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", "core", "0004", verbosity=0)
call_command("migrate", "django_tasks_database", verbosity=0)
with connection.cursor() as c:
    # As the database was before the move: the content type under core, one report, one job.
    c.execute("UPDATE django_content_type SET app_label = 'core' "
              "WHERE app_label = 'accessibility' AND model = 'accessibilityreport'")
    c.execute("SELECT id FROM django_content_type WHERE app_label = 'core' "
              "AND model = 'accessibilityreport'")
    print(c.fetchone()[0])
    c.execute("INSERT INTO core_accessibilityreport (created_at, updated_at, page_url, "
              "description, contact_email, forwarded_at, reporter_id) VALUES "
              "('2026-01-02 03:04:05', '2026-01-02 03:04:05', '/organisation/', "
              "'Tabellen saknar rubriker', '', NULL, NULL)")
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
DBTaskResult.objects.create(
    task_path="itfabrik.core.tasks.forward_accessibility_report", queue_name="default",
    backend_name="default", run_after=timezone.now(), args_kwargs={"args": [], "kwargs": {}},
    exception_class_path="", traceback="",
)
"""

AFTER = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from django.contrib.contenttypes.models import ContentType
from django_tasks_db.models import DBTaskResult
from itfabrik.accessibility.models import AccessibilityReport
report = AccessibilityReport.objects.get()
print(report.pk, report.page_url, report.description)
print(ContentType.objects.get_for_model(AccessibilityReport).pk)
print(ContentType.objects.filter(app_label="core", model="accessibilityreport").count())
print(sorted(t for t in connection.introspection.table_names() if "accessibilityreport" in t))
print(DBTaskResult.objects.get().task_path)
"""


def _run(code: str, db: Path) -> list[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itfabrik.config.settings.test",
        "DATABASE_URL": f"sqlite:///{db}",
        "ITFABRIK_DATA_DIR": str(db.parent),
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()


@pytest.mark.own_sqlite_database
def test_reports_made_before_the_move_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "before.sqlite3"
    (content_type_id,) = _run(BEFORE, db)
    report, content_type, stale, tables, job = _run(AFTER, db)
    assert report == "1 /organisation/ Tabellen saknar rubriker"
    # The same content type row (the admin's permissions hang on it), under the new label.
    assert content_type == content_type_id
    assert stale == "0"
    assert tables == "['accessibility_accessibilityreport']"
    assert job == "itfabrik.accessibility.tasks.forward_report"
