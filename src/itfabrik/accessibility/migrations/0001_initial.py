# The model moved here from `core` (ADR 0019). Its table and rows are kept: this migration only
# takes the model over in Django's state (core's 0005 lets go of it); 0002 then renames the table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TASK = "itfabrik.core.tasks.forward_accessibility_report"
NEW_TASK = "itfabrik.accessibility.tasks.forward_report"


def move_content_type(apps, schema_editor):
    """The admin's permissions and any generic relation point at the content type: keep its row
    (and id) and give it the new app label, rather than leave a stale one beside a new one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(
        app_label="accessibility", model="accessibilityreport"
    ).exists():
        ContentType.objects.using(db).filter(
            app_label="core", model="accessibilityreport"
        ).update(app_label="accessibility")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(
        app_label="core", model="accessibilityreport"
    ).exists():
        ContentType.objects.using(db).filter(
            app_label="accessibility", model="accessibilityreport"
        ).update(app_label="core")


def move_queued_jobs(apps, schema_editor):
    """A report queued for mailing before the upgrade must still be mailed after it: its job
    names the task by its old import path, which no longer exists."""
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    db = schema_editor.connection.alias
    DBTaskResult.objects.using(db).filter(task_path=OLD_TASK).update(task_path=NEW_TASK)


def move_queued_jobs_back(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    db = schema_editor.connection.alias
    DBTaskResult.objects.using(db).filter(task_path=NEW_TASK).update(task_path=OLD_TASK)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0004_accessibility_reporter_label'),
        ('django_tasks_database', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AccessibilityReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ändrad')),
                        ('page_url', models.CharField(blank=True, max_length=500, verbose_name='sida')),
                        ('description', models.TextField(max_length=5000, verbose_name='beskrivning')),
                        ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='e-post för svar')),
                        ('forwarded_at', models.DateTimeField(blank=True, null=True, verbose_name='vidarebefordrad')),
                        ('reporter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='rapporterad av')),
                    ],
                    options={
                        'verbose_name': 'tillgänglighetsrapport',
                        'verbose_name_plural': 'tillgänglighetsrapporter',
                        'ordering': ['-created_at'],
                        # The table core created; 0002 gives it this app's name.
                        'db_table': 'core_accessibilityreport',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.RunPython(move_queued_jobs, move_queued_jobs_back),
    ]
