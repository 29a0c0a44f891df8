"""The bookings' background jobs (thin, idempotent wrappers)."""

from __future__ import annotations

from django_tasks import task


@task()
def resume_booking(booking_id: int) -> bool:
    """Enqueued to run at the booked block's start (`run_after`)."""
    from .services import booking_resume

    return booking_resume(booking_id=booking_id)


@task()
def resume_due() -> int:
    from .services import bookings_resume_due

    return bookings_resume_due()
