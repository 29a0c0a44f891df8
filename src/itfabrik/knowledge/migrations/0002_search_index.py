"""The full-text search index of whichever database this is (ADR 0021): an expression GIN index
on PostgreSQL, the FTS5 table `knowledge_article_fts` on SQLite. Neither is a model field, so
`makemigrations` does not know them; each database runs only its own part."""

from django.db import migrations

from itfabrik.knowledge.search import create_index, drop_index


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
