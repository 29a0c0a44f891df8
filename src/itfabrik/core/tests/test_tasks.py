"""The background worker: a real database-backed queue and the `itfabrik worker` command."""

import pytest
from django.core import mail
from django.core.management import call_command

from itfabrik.core import services
from itfabrik.core.models import AccessibilityReport


@pytest.fixture
def db_tasks(settings):
    # django-tasks resets its backends on setting_changed, so this switches to the real queue.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_report_is_queued_and_forwarded_once_by_the_worker(
    demo, db_tasks, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        report = services.accessibility_report_create(
            actor=demo.user("anvandare-bengtsfors"),
            description="Knappen Spara saknar fokusmarkering.",
            page_url="/organisation/",
        )
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []
    call_command("worker", "--batch")
    assert [m.subject for m in mail.outbox] == ["[itfabrik] Tillgänglighetsproblem: /organisation/"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    report.refresh_from_db()
    assert report.forwarded_at is not None
    # Running the job again (a retry, a duplicate enqueue) sends nothing more.
    assert services.accessibility_report_forward(report_id=report.pk) is False
    assert len(mail.outbox) == 1


def test_empty_report_is_refused_and_nothing_is_queued(demo, db_tasks):
    from django_tasks_db.models import DBTaskResult

    from itfabrik.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.accessibility_report_create(actor=demo.user("agent"), description="   ")
    assert AccessibilityReport.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
