"""Persons from a CSV file (an HR system's export): a dry run lists every bad line with its
number and reason; a real run hires everyone or no one; the same file again changes nothing
(a line whose person already has that employment is left as it is).

Columns (semicolon, UTF-8, a header line): förnamn;efternamn;personnummer;kostnadsställe;
befattning;startdatum;slutdatum. The unit is found by its cost centre."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from itfabrik.core import permissions
from itfabrik.core.actors import Actor
from itfabrik.core.errors import ApplicationError
from itfabrik.tenancy.models import OrgNode

from . import permissions as actions
from . import rules, services
from .models import Employment, Person

MAX_BYTES = 5_000_000
MAX_ROWS = 20_000
COLUMNS = 7


@dataclass
class ImportResult:
    dry_run: bool
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    unchanged: int = 0


@dataclass
class _Row:
    line: int
    first_name: str
    last_name: str
    personal_number: str
    unit: OrgNode
    title: str
    start: dt.date
    end: dt.date | None


class _Rollback(Exception):
    pass


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _parse(actor: Actor, content: bytes, result: ImportResult) -> list[_Row]:
    if len(content) > MAX_BYTES:
        result.errors.append((0, _("Filen är för stor.")))
        return []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append((0, _("Filen är inte UTF-8.")))
        return []
    reader = csv.reader(io.StringIO(text), delimiter=";")
    units = {
        n.cost_centre: n
        for n in OrgNode.objects.filter(
            permissions.scope_q(actor, actions.MANAGE_IDENTITY), kind="unit"
        ).exclude(cost_centre="")
    }
    rows: list[_Row] = []
    seen: set[str] = set()
    for number, cells in enumerate(reader, start=1):
        if number == 1 or not any(c.strip() for c in cells):
            continue
        if number > MAX_ROWS + 1:
            result.errors.append((number, _("Filen har för många rader.")))
            break
        if len(cells) < COLUMNS - 1:
            result.errors.append((number, _("Raden har för få kolumner.")))
            continue
        first, last, pnr, centre, title, start_text = (c.strip() for c in cells[:6])
        end_text = cells[6].strip() if len(cells) > 6 else ""
        problems = []
        if not first or not last:
            problems.append(_("För- och efternamn krävs."))
        digits = ""
        if pnr:
            try:
                digits = rules.normalise_personal_number(pnr)
            except rules.PersonalNumberError:
                problems.append(_("Personnumret är inte giltigt."))
            if digits and digits in seen:
                problems.append(_("Personnumret finns på en tidigare rad."))
            seen.add(digits)
        unit = units.get(centre)
        if unit is None:
            problems.append(_("Okänt kostnadsställe: %(value)s.") % {"value": centre[:30]})
        if not title:
            problems.append(_("Befattning krävs."))
        start = _date(start_text)
        if start is None:
            problems.append(_("Startdatum ska skrivas ÅÅÅÅ-MM-DD."))
        end = _date(end_text) if end_text else None
        if end_text and end is None:
            problems.append(_("Slutdatum ska skrivas ÅÅÅÅ-MM-DD."))
        if problems:
            result.errors.append((number, " ".join(problems)))
            continue
        assert unit is not None
        assert start is not None
        rows.append(_Row(number, first, last, digits, unit, title, start, end))
    return rows


def _existing(row: _Row) -> Person | None:
    qs = Person.objects.filter(cooperation_id=row.unit.cooperation_id)
    if row.personal_number:
        return qs.filter(personal_number=row.personal_number).first()
    return (
        qs.filter(
            first_name=row.first_name,
            last_name=row.last_name,
            personal_number="",
            employments__unit=row.unit,
            employments__start=row.start,
        )
        .distinct()
        .first()
    )


def persons_import(*, actor: Actor, content: bytes, dry_run: bool) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    rows = _parse(actor, content, result)
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    person = _existing(row)
                    if (
                        person is not None
                        and Employment.objects.filter(
                            person=person, unit=row.unit, start=row.start
                        ).exists()
                    ):
                        result.unchanged += 1
                        continue
                    with transaction.atomic():
                        if person is None:
                            person = services.person_create(
                                actor=actor,
                                home=row.unit,
                                first_name=row.first_name,
                                last_name=row.last_name,
                                personal_number=row.personal_number,
                            )
                        services.employment_create(
                            actor=actor,
                            person=person,
                            unit=row.unit,
                            title=row.title,
                            start=row.start,
                            end=row.end,
                            user_kind=None,
                        )
                    result.created += 1
                except ApplicationError as exc:
                    parts = [str(m) for msgs in exc.fields.values() for m in msgs]
                    result.errors.append((row.line, " ".join(parts) or str(exc.message)))
            if dry_run or result.errors:
                raise _Rollback()
    except _Rollback:
        pass
    if result.errors:
        result.created = 0
        result.unchanged = 0
    return result


def persons_import_file(*, actor: Any, path: str, dry_run: bool) -> ImportResult:
    with open(path, "rb") as fh:
        return persons_import(actor=actor, content=fh.read(MAX_BYTES + 1), dry_run=dry_run)
