from __future__ import annotations

from typing import Any

from rest_framework import serializers

from itfabrik.bookings.choices import BlockPart
from itfabrik.bookings.models import MAX_CAPACITY, Block, Booking

MAX_ID = 2**63 - 1


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class BlockSerializer(serializers.ModelSerializer[Block]):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    technician_name = serializers.SerializerMethodField()
    free = serializers.IntegerField(read_only=True)

    class Meta:
        model = Block
        fields = [
            "id",
            "municipality",
            "municipality_name",
            "technician",
            "technician_name",
            "date",
            "part",
            "starts_at",
            "ends_at",
            "capacity",
            "booked",
            "free",
            "is_open",
            "note",
            "version",
        ]
        read_only_fields = fields

    def get_technician_name(self, block: Block) -> str:
        return block.technician.get_full_name() or block.technician.get_username()


class BlockCreateSerializer(serializers.Serializer[Any]):
    municipality = _id()
    technician = _id()
    date = serializers.DateField()
    part = serializers.ChoiceField(choices=BlockPart.choices)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, default=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BlockGenerateSerializer(serializers.Serializer[Any]):
    municipality = _id()
    technician = _id()
    first = serializers.DateField()
    last = serializers.DateField()
    # Plain strings (checked by the service, "morning" or "afternoon"): one enum per choice set
    # in the schema.
    parts = serializers.ListField(
        child=serializers.CharField(max_length=10), min_length=1, max_length=2
    )
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, default=2)


class BlockUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_open = serializers.BooleanField(required=False)


class BookingVersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)


class BookingSerializer(serializers.ModelSerializer[Booking]):
    ticket_reference = serializers.CharField(source="ticket.reference", read_only=True)
    block_detail = BlockSerializer(source="block", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "ticket",
            "ticket_reference",
            "block",
            "block_detail",
            "status",
            "note",
            "paused_sla",
            "resumed_at",
            "cancelled_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class BookingCreateSerializer(serializers.Serializer[Any]):
    ticket = _id()
    block = _id()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BookingRebookSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    block = _id()


class BookingCancelSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
