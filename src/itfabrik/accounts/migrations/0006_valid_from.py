"""A role assignment gets a first day (`valid_from`), so a role can be granted ahead of its start.

Existing assignments start on the day they were created: that is when they began to give access,
and their history (an ended role shows "from … until …") stays true. New ones default to today.
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import TruncDate


def start_on_creation_day(apps, schema_editor):
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    RoleAssignment.objects.update(valid_from=TruncDate("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_plain_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="roleassignment",
            name="valid_from",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="gäller från"
            ),
        ),
        migrations.RunPython(start_on_creation_day, migrations.RunPython.noop),
    ]
