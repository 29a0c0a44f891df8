"""Writing many rows at once: PostgreSQL's COPY, elsewhere bulk_create in chunks.

COPY is an order of magnitude faster than a multi-row INSERT at a hundred thousand rows (a
national billing month's lines, a device import). It bypasses the model layer: callers give
plain values in the order of `columns` (attribute names, so foreign keys as `<name>_id`) and
write their own audit rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.db import connection

CHUNK = 1000


def insert_rows(
    model: type[Any], columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert `rows`, taken one by one so that they need not all be in memory at once. A
    database error is Django's, as with bulk_create (a unique violation is an IntegrityError)."""
    if connection.vendor != "postgresql":
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, CHUNK)):
            model.objects.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in chunk]
            )
        return
    from psycopg.types.json import Jsonb

    by_name = {f.attname: f for f in model._meta.concrete_fields}
    json_at = [i for i, c in enumerate(columns) if by_name[c].get_internal_type() == "JSONField"]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(by_name[c].column) for c in columns)
    # The driver's cursor, as Django's wrapper has no copy(); its errors made Django's again.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            if json_at:
                values = list(row)
                for i in json_at:
                    if values[i] is not None:
                        values[i] = Jsonb(values[i])
                copy.write_row(values)
            else:
                copy.write_row(row)
