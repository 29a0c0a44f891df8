"""The refused-write check itself: `db_state()` before and `assert_unchanged()` after must see
every kind of change, on either database, or every permission matrix would pass on a refused
write that wrote."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from itfabrik.core.tests import assert_unchanged, db_state

pytestmark = pytest.mark.django_db


def _changed(before: dict[str, Any]) -> str:
    with pytest.raises(AssertionError) as failure:
        assert_unchanged(before)
    return str(failure.value)


def test_nothing_written_is_unchanged(demo: Any) -> None:
    before = db_state()
    assert_unchanged(before)


def test_an_update_of_one_column_is_seen(demo: Any) -> None:
    from itfabrik.tenancy.models import Cooperation

    before = db_state()
    # Past the services on purpose: the check must not rely on the version or the audit log.
    Cooperation.objects.filter(pk=demo.cooperation.pk).update(name="Dalslands IT-samverkan 2")
    assert "tenancy.Cooperation" in _changed(before)


def test_an_insert_and_a_delete_are_seen(demo: Any) -> None:
    from itfabrik.core.models import AuditEntry

    before = db_state()
    entry = AuditEntry.objects.order_by("pk").first()
    assert entry is not None
    AuditEntry.objects.filter(pk=entry.pk).delete()
    assert "core.AuditEntry" in _changed(before)


def test_a_new_token_is_seen_and_a_sign_in_is_not(demo: Any) -> None:
    from rest_framework.authtoken.models import Token

    from itfabrik.accounts.models import User

    user = demo.user("ekonom")
    before = db_state()
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    assert_unchanged(before)
    Token.objects.filter(user=user).delete()
    Token.objects.create(user=user)
    assert "tokens" in _changed(before)


def test_a_write_rolled_back_is_not_a_change(demo: Any) -> None:
    from django.db import transaction

    from itfabrik.tenancy.models import Cooperation

    before = db_state()
    with transaction.atomic():
        Cooperation.objects.filter(pk=demo.cooperation.pk).update(name="Ändrad och ångrad")
        transaction.set_rollback(True)
    assert_unchanged(before)
    # The same value written again is no change either; a different one is.
    Cooperation.objects.filter(pk=demo.cooperation.pk).update(name=demo.cooperation.name)
    assert_unchanged(before)
    Cooperation.objects.filter(pk=demo.cooperation.pk).update(name="Ändrad")
    assert "tenancy.Cooperation" in _changed(before)


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_connection_is_seen(
    demo: Any, demo_reloaded_afterwards: None
) -> None:
    """A live server or a worker writes through a connection of its own."""
    import threading

    from django.db import connection

    from itfabrik.tenancy.models import Cooperation

    before = db_state()

    def write() -> None:
        Cooperation.objects.filter(pk=demo.cooperation.pk).update(name="Från en annan tråd")
        connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert _changed(before)
