# core_accessibilityreport → accessibility_accessibilityreport: a rename of the table (rows,
# sequence and constraints go with it), so the model needs no db_table of its own (ADR 0019).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accessibility', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='accessibilityreport',
            table=None,
        ),
    ]
