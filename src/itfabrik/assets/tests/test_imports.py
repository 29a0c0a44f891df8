"""The import of a device-management export with the example files of docs/examples/: the dry
run's lines and reasons, the all-or-nothing real run, the idempotent rerun, XLSX, the worker."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from itfabrik.assets import imports
from itfabrik.assets.models import Device, DeviceImport
from itfabrik.core.tests import assert_error, assert_unchanged, db_state

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[4] / "docs" / "examples"
BAD = EXAMPLES / "intune-enheter-med-fel.csv"
GOOD = EXAMPLES / "intune-enheter.csv"
URL = "/api/v1/assets/import/"


def _post(client: Any, path: Path | str, data: bytes | None = None, **extra: Any) -> Any:
    payload = data if data is not None else Path(path).read_bytes()
    upload = io.BytesIO(payload)
    upload.name = Path(path).name
    return client.post(URL, {"file": upload, **extra}, format="multipart")


def test_dry_run_lists_every_error_with_its_line(api_as: Any) -> None:
    client = api_as("tekniker")
    before = db_state()
    r = _post(client, BAD, dry_run="true")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["dry_run"] is True
    by_line = {row["line"]: row for row in body["rows"]}
    assert set(by_line) == set(range(2, 12))
    bad = {line for line, row in by_line.items() if row["errors"]}
    assert bad == {3, 5, 6, 7, 8, 9, 10}
    assert "ThinkPad X1 Carbon" in by_line[3]["errors"][0]
    assert "Serienummer saknas" in by_line[5]["errors"][0]
    assert "igår" in by_line[6]["errors"][0]
    assert "Kanske" in by_line[7]["errors"][0]
    assert "gmail.com" in by_line[8]["errors"][0]
    assert "rad 2" in by_line[9]["errors"][0]
    assert "Privatägda" in by_line[10]["errors"][0]
    assert by_line[2]["action"] == "create"
    assert body["counts"]["error"] == 7
    assert_unchanged(before)


def test_real_run_with_errors_changes_nothing_and_says_so(api_as: Any) -> None:
    client = api_as("tekniker")
    before = db_state()
    r = _post(client, BAD, dry_run="false")
    error = assert_error(r, 400, "invalid")
    assert "inget har importerats" in error["messages"]["sv"]
    assert "line_3" in error["fields"]
    assert_unchanged(before)


def test_fixed_file_imports_all_and_again_changes_nothing(api_as: Any, demo: Any) -> None:
    client = api_as("tekniker")
    r = _post(client, GOOD, dry_run="false")
    assert r.status_code == 200, r.content
    assert r.json()["written"] == 10
    device = Device.objects.get(serial_number="5CG3310201")
    assert device.municipality.name == "Melleruds kommun"
    assert device.state == "deployed"
    assert device.managed is True
    assert device.events.count() == 1
    again = db_state()
    r = _post(client, GOOD, dry_run="false")
    assert r.status_code == 200
    assert r.json()["written"] == 0
    assert r.json()["counts"]["unchanged"] == 10
    assert_unchanged(again)


def test_a_changed_row_is_an_update(api_as: Any) -> None:
    client = api_as("tekniker")
    assert _post(client, GOOD, dry_run="false").status_code == 200
    text = GOOD.read_text().replace("10.0.22631.3737", "10.0.26100.1")
    r = _post(client, GOOD, data=text.encode(), dry_run="false")
    assert r.json()["counts"]["update"] == 2
    device = Device.objects.get(serial_number="5CG3310201")
    assert device.os_version == "10.0.26100.1"
    assert device.version == 2


def test_xlsx_gives_the_same_result(api_as: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(BAD.read_text())):
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    r = _post(api_as("tekniker"), "enheter.xlsx", data=buf.getvalue(), dry_run="true")
    assert r.status_code == 200, r.content
    assert {row["line"] for row in r.json()["rows"] if row["errors"]} == {3, 5, 6, 7, 8, 9, 10}


def test_missing_columns_and_garbage(api_as: Any) -> None:
    client = api_as("tekniker")
    r = _post(client, "x.csv", data=b"Device name;OS\nA;Windows\n", dry_run="true")
    error = assert_error(r, 400, "invalid")
    assert "Serial Number" in error["fields"]["file"][0]["message"]
    r = _post(client, "x.xlsx", data=b"PK\x03\x04garbage", dry_run="true")
    assert_error(r, 400, "invalid")


def test_portal_user_and_agent_may_not_import(api_as: Any) -> None:
    clients = [api_as("anvandare-bengtsfors"), api_as("agent"), api_as(None)]
    before = db_state()
    assert _post(clients[0], GOOD, dry_run="false").status_code == 404
    assert _post(clients[1], GOOD, dry_run="false").status_code == 403
    assert _post(clients[2], GOOD, dry_run="false").status_code == 401
    assert_unchanged(before)


def test_web_import_checks_then_the_worker_writes(web_as: Any) -> None:
    client = web_as("tekniker")
    with BAD.open("rb") as f:
        r = client.post("/enheter/import/", {"file": f})
    assert r.status_code == 302
    bad = DeviceImport.objects.latest("pk")
    assert bad.status == "invalid"
    page = client.get(r["Location"])
    assert "ThinkPad X1 Carbon" in page.content.decode()
    assert client.post(r["Location"], {"version": bad.version}).status_code == 302
    bad.refresh_from_db()
    assert bad.status == "invalid"
    with GOOD.open("rb") as f:
        r = client.post("/enheter/import/", {"file": f})
    good = DeviceImport.objects.latest("pk")
    assert good.status == "checked"
    assert not Device.objects.filter(serial_number="5CG3310201").exists()
    client.post(r["Location"], {"version": good.version})
    good.refresh_from_db()
    assert good.status == "done", good.message
    assert good.written == 10
    # While the worker writes, the status polls for itself; once done it stops.
    assert 'hx-trigger="every 2s"' not in client.get(r["Location"]).content.decode()
    DeviceImport.objects.filter(pk=good.pk).update(status="running")
    running = client.get(r["Location"]).content.decode()
    assert 'id="import-status" role="status" aria-live="polite" hx-get=' in running
    assert 'hx-trigger="every 2s"' in running
    DeviceImport.objects.filter(pk=good.pk).update(status="done")
    assert Device.objects.filter(serial_number="5CG3310201").exists()
    # The job run again (a retry) writes nothing more.
    assert imports.import_execute(import_id=good.pk).written == 10


# --- what a real run writes, pinned down for the bulk writer -------------------------------------


def _file(serials: list[str], os_version: str) -> bytes:
    """An export of ThinkPads in Bengtsfors, one per serial number."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([c.title() for c in imports.COLUMNS])
    for n, serial in enumerate(serials):
        w.writerow(
            [
                f"BEN-LAP-{n:04d}",
                serial,
                "Lenovo",
                "ThinkPad T14 Gen 4",
                "Windows",
                os_version,
                f"import.user{n}@bengtsfors.se",
                "2026-05-04 07:12:33.0000000",
                "Compliant",
                "Corporate",
                "Yes",
            ]
        )
    return out.getvalue().encode()


def _run(demo: Any, data: bytes, *, dry_run: bool = False) -> imports.RunResult:
    return imports.import_run(
        actor=demo.user("tekniker"),
        cooperation=demo.cooperation,
        data=data,
        file_name="export.csv",
        dry_run=dry_run,
    )


def test_every_written_row_is_audited_and_dated(demo: Any) -> None:
    from itfabrik.core import audit
    from itfabrik.core.models import AuditEntry

    tech = demo.user("tekniker")
    assert _run(demo, _file(["AUD-1", "AUD-2"], "10.0.1")).written == 2
    device = Device.objects.get(serial_number="AUD-1")
    entry = AuditEntry.objects.get(object_type="assets.device", object_id=str(device.pk))
    assert entry.action == "create"
    assert entry.actor == tech
    assert entry.actor_repr == tech.get_username()
    assert entry.object_repr == "Lenovo AUD-1"
    assert entry.scope_path == device.municipality.path
    assert entry.before is None
    assert entry.after == audit.snapshot(device)
    assert entry.changed_fields == sorted(audit.snapshot(device))
    event = device.events.get()
    assert (event.from_state, event.to_state, event.actor) == ("", "deployed", tech)
    assert event.occurred_on == device.state_since
    assert event.owner_unit_id == device.owner_unit_id
    assert event.note == "Import export.csv"

    before = audit.snapshot(device)
    result = _run(demo, _file(["AUD-1", "AUD-2"], "10.0.2"))
    assert (result.written, result.counts["update"]) == (2, 2)
    device.refresh_from_db()
    assert device.version == 2
    assert device.os_version == "10.0.2"
    entry = AuditEntry.objects.filter(object_type="assets.device", object_id=str(device.pk)).latest(
        "pk"
    )
    assert entry.action == "update"
    assert entry.actor == tech
    assert entry.before == before
    assert entry.after == audit.snapshot(device)
    assert entry.changed_fields == ["os_version", "version"]
    assert device.events.count() == 1


def test_a_device_changed_after_the_check_refuses_the_whole_file(demo: Any) -> None:
    from itfabrik.core.errors import Conflict
    from itfabrik.tenancy.models import Cooperation

    assert _run(demo, _file(["CON-1", "CON-2"], "10.0.1")).written == 2
    tech = demo.user("tekniker")
    rows = imports.read_file(_file(["CON-1", "CON-2", "CON-3"], "10.0.2"))
    coop = Cooperation.objects.get(pk=demo.cooperation.pk)
    checked = imports.check_rows(actor=tech, cooperation=coop, rows=rows)
    assert (len(checked.creates), len(checked.updates)) == (1, 2)
    Device.objects.filter(serial_number="CON-2").update(version=5)
    before = db_state()
    with pytest.raises(Conflict):
        imports.write(actor=tech, checked=checked, note="Import")
    assert_unchanged(before)


def test_the_number_of_queries_does_not_grow_with_the_rows(demo: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(serials: list[str], os_version: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            result = _run(demo, _file(serials, os_version))
        assert result.written == len(serials)
        return len(ctx.captured_queries)

    # Few enough that SQLite's limit of 999 parameters per query still takes them in one INSERT.
    few = [f"FEW-{n}" for n in range(3)]
    many = [f"MANY-{n}" for n in range(25)]
    assert queries(few, "1") == queries(many, "1")  # new devices
    assert queries(few, "2") == queries(many, "2")  # changed devices


def test_devices_another_import_wrote_meanwhile_refuse_the_whole_file(demo: Any) -> None:
    from itfabrik.core.errors import ValidationFailed
    from itfabrik.tenancy.models import Cooperation

    tech = demo.user("tekniker")
    rows = imports.read_file(_file(["DUP-1", "DUP-2"], "10.0.1"))
    coop = Cooperation.objects.get(pk=demo.cooperation.pk)
    checked = imports.check_rows(actor=tech, cooperation=coop, rows=rows)
    assert len(checked.creates) == 2
    assert _run(demo, _file(["DUP-2"], "10.0.1")).written == 1
    before = db_state()
    with pytest.raises(ValidationFailed) as refused:
        imports.write(actor=tech, checked=checked, note="Import")
    assert "En annan import" in str(refused.value.fields["file"][0])
    assert_unchanged(before)
