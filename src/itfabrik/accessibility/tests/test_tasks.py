"""The background worker: a real database-backed queue and the `itfabrik worker` command."""

import pytest
from django.core import mail
from django.core.management import call_command

from itfabrik.accessibility import services
from itfabrik.accessibility.models import AccessibilityReport


@pytest.fixture
def db_tasks(settings):
    # django-tasks resets its backends on setting_changed, so this switches to the real queue.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


# The worker closes connections it finds inside a transaction (as it should between jobs), so
# this test runs without the per-test transaction, like the real worker does.


def test_report_is_queued_and_forwarded_once_by_the_worker(
    demo_reloaded_afterwards, transactional_db, db_tasks
):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from itfabrik.accounts.models import User

    with transaction.atomic():
        report = services.report_create(
            actor=User.objects.get(username="anvandare-bengtsfors"),
            description="Knappen Spara saknar fokusmarkering.",
            page_url="/organisation/",
        )
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []
    # Only the queued report: the periodic jobs (the SLA sweep mails its own warnings) stay out.
    call_command("worker", "--batch", "--no-periodic")
    assert [m.subject for m in mail.outbox] == ["[itfabrik] Tillgänglighetsproblem: /organisation/"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    report.refresh_from_db()
    assert report.forwarded_at is not None
    # Running the job again (a retry, a duplicate enqueue) sends nothing more.
    assert services.report_forward(report_id=report.pk) is False
    assert len(mail.outbox) == 1


def test_empty_report_is_refused_and_nothing_is_queued(demo, db_tasks):
    from django_tasks_db.models import DBTaskResult

    from itfabrik.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.report_create(actor=demo.user("agent"), description="   ")
    assert AccessibilityReport.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
