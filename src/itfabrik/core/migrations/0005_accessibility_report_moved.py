# AccessibilityReport moved to the app `itfabrik.accessibility` (ADR 0019). Only Django's state
# forgets it here: the table and its rows stay, and the new app takes them over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_accessibility_reporter_label'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AccessibilityReport')],
            database_operations=[],
        ),
    ]
