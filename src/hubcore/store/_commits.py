"""The one stored layout and hash chain: one commit row per appended batch (or per chunk).

Every backend stores these rows (the core builds them; :mod:`._backend`). A commit row
holds ``count`` consecutive events of one stream, all appended together:

* ``last_position`` (the rowid) and ``last_version``; the first event's position and
  version are ``last - count + 1``;
* ``recorded_at``: microseconds since the Unix epoch, shared by the batch;
* ``event_ids``: 16 bytes when the ids are consecutive from that one (ids the store made),
  else the ``count`` ids of 16 bytes each (ids the caller gave);
* ``kinds``: the distinct ``EventType/schema_version`` of the row's events, space
  separated, and ``kind_index``: one byte per event, its kind's index in ``kinds``;
* ``payloads``: the events' JSON payloads joined by ``\n`` (compact JSON holds no raw
  newline: inside strings it is escaped), so reading splits them in one C call;
* ``checks``: a CRC-32 per event (4 bytes each, little-endian) over its payload, seeded
  with its kind, its position and (when the row stores an id per event, i.e. ids the
  caller gave in a row of more than one event) its id: it lets ``verify()`` name the
  exact position an edit touched;
* ``hash``: the row's SHA-256 chain hash, over the previous row's hash and every column
  above (:func:`row_hash`; the first row's previous hash is :data:`GENESIS`, 32 zero
  bytes): any edit, removal or reordering breaks the chain there. The stream enters the
  hash by its name, so the chain does not depend on how a backend keys its streams.

Per event the store writes no row, no index entry and no hash of its own: an append costs
about what encoding its events costs, plus one SHA-256 pass over the row's bytes. A batch
longer than :data:`MAX_EVENTS` events or :data:`MAX_BYTES` of payload is split into
several rows in one transaction.
"""

from __future__ import annotations

import struct
import sys
import uuid
from array import array
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from hashlib import sha256
from typing import Any
from zlib import crc32

import orjson

from hubcore._characters import ascii_digits
from hubcore._slots import slot_setter
from hubcore.codec import decode_trusted, encoder_for, trusted_structure_for
from hubcore.errors import CorruptRecord, HubcoreError
from hubcore.events import Event
from hubcore.store._batch import EPOCH, TYPE_INFO, Batch, encode_failed, now_micros
from hubcore.store._protocol import Recorded

__all__ = [
    "GENESIS",
    "MAX_BYTES",
    "MAX_EVENTS",
    "Commit",
    "commit_rows",
    "envelope",
    "event_checks",
    "id_runs",
    "kind_seed",
    "pack_checks",
    "row_hash",
    "split_row",
    "unpack_checks",
    "parse_kinds",
    "records",
]

GENESIS = bytes(32)
"""The previous hash of the first row."""
MAX_EVENTS = 1000
"""Events per commit row at most (a longer batch takes several rows, one transaction)."""
MAX_BYTES = 1 << 20
"""Payload bytes per commit row, about (a row closes once it holds this much)."""
_MAX_KINDS = 255  # kind_index is one byte per event

Commit = tuple[int, int, str, int, int, bytes, str, bytes, bytes, bytes, bytes]
"""A commit row as the core builds it (:data:`~._backend.ROW_FIELDS`, the stream by name)."""

_CRC_MASK = 0xFFFFFFFF
_BIG_ENDIAN = sys.byteorder == "big"
_ROW_HEAD = struct.Struct(">32sqqqqI")
"""prev row hash, last position, count, last version, recorded_at, stream name length."""


def kind_seed(kind: str) -> int:
    """The CRC-32 a kind's events' checks start from (the kind's own text)."""
    return crc32(kind.encode())


def event_checks(
    payloads: list[bytes], seeds: list[int], kind_index: bytes, ids: bytes, first_position: int
) -> list[int]:
    """Each event's check value: CRC-32 of its payload, started from its kind's seed XOR
    its position (and, for ids the caller gave, through its id first)."""
    explicit = len(ids) != 16
    out = []
    for k, payload in enumerate(payloads):
        seed = seeds[kind_index[k]]
        if explicit:
            seed = crc32(ids[16 * k : 16 * k + 16], seed)
        out.append(crc32(payload, (seed ^ (first_position + k)) & _CRC_MASK))
    return out


def pack_checks(values: list[int] | array[int]) -> bytes:
    """Check values as the ``checks`` column stores them (4 bytes each, little-endian)."""
    packed = array("I", values)
    if _BIG_ENDIAN:
        packed.byteswap()
    return packed.tobytes()


def unpack_checks(checks: bytes) -> array[int]:
    """The ``checks`` column back as check values."""
    values = array("I")
    values.frombytes(checks)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


def row_hash(
    prev: bytes,
    *,
    last_position: int,
    count: int,
    stream: str,
    last_version: int,
    recorded_at: int,
    ids: bytes,
    kinds: str,
    kind_index: bytes,
    checks: bytes,
    payloads: bytes,
) -> bytes:
    """The row's chain hash: SHA-256 over the previous row's hash, the row's header and
    every column; each variable part is length-prefixed or sized by ``count``, and the
    payloads come last, so the encoding is unambiguous."""
    name = stream.encode()
    kind_text = kinds.encode()
    digest = sha256(
        _ROW_HEAD.pack(prev, last_position, count, last_version, recorded_at, len(name))
    )
    digest.update(name)
    digest.update(len(ids).to_bytes(4))
    digest.update(ids)
    digest.update(len(kind_text).to_bytes(4))
    digest.update(kind_text)
    digest.update(kind_index)
    digest.update(checks)
    digest.update(payloads)
    return digest.digest()


def commit_rows(
    batch: Batch, first_position: int, first_version: int, prev: bytes
) -> Iterator[Commit]:
    """The batch's commit rows (the stream by name), each event encoded and chained."""
    writer = _RowWriter(batch, now_micros())
    start, count = 0, len(batch.events)
    while start < count:
        row, prev = writer.row(start, first_position + start, first_version + start, prev)
        yield row
        start += row[1]


class _RowWriter:
    """Builds a batch's commit rows; per-class facts are worked out once per batch."""

    def __init__(self, batch: Batch, micros: int) -> None:
        self.batch = batch
        self.micros = micros
        self.classes: dict[type[Event], tuple[str, int, Callable[[Event], bytes]]] = {}

    def _kind(self, cls: type[Event]) -> tuple[str, int, Callable[[Event], bytes]]:
        """``(kind, check seed, encoder)`` of events of ``cls``."""
        info = self.classes.get(cls)
        if info is None:
            event_type, schema_version = TYPE_INFO[cls]
            kind = f"{event_type}/{schema_version}"
            info = self.classes[cls] = (kind, kind_seed(kind), encoder_for(cls))
        return info

    def row(self, start: int, position: int, version: int, prev: bytes) -> tuple[Commit, bytes]:
        """The row of events ``start:`` up to the limits, and its chain hash.

        The hot loop of every append: one pass encodes each event and takes its check
        value, with names bound locally; the row is hashed once, in C, at the end.
        """
        batch = self.batch
        events = batch.events
        given = batch.given_ids
        crc = crc32
        open_kinds: dict[type[Event], tuple[int, int, Callable[[Event], bytes]]] = {}
        kinds: list[str] = []
        payloads: list[bytes] = []
        checks: array[int] = array("I")
        add_check = checks.append
        kind_index = bytearray()
        size = 0
        stop = start
        for k in range(start, min(len(events), start + MAX_EVENTS)):
            event = events[k]
            known = open_kinds.get(type(event))
            if known is None:
                if len(kinds) == _MAX_KINDS:
                    break
                kind, seed, encoder = self._kind(type(event))
                known = open_kinds[type(event)] = (len(kinds), seed, encoder)
                kinds.append(kind)
            slot, seed, encoder = known
            try:
                payload = encoder(event)
            except Exception as error:
                raise encode_failed(event, error) from None
            if given is not None:
                seed = crc(given[k], seed)
            add_check(crc(payload, (seed ^ position) & 0xFFFFFFFF))
            kind_index.append(slot)
            payloads.append(payload)
            size += len(payload)
            position += 1
            stop = k + 1
            if size >= MAX_BYTES:
                break
        count = stop - start
        if given is not None and count == 1:  # one id: stored as 16 bytes, so not in the check
            seed = open_kinds[type(events[start])][1]
            checks[0] = crc(payloads[0], (seed ^ (position - 1)) & 0xFFFFFFFF)
        ids = (
            (batch.first_id + start).to_bytes(16) if given is None else b"".join(given[start:stop])
        )
        blob = b"\n".join(payloads)
        if blob.count(b"\n") != count - 1:  # compact JSON never holds one: a codec bug
            raise HubcoreError(f"stream {batch.stream!r}: an encoded payload holds a raw newline")
        if _BIG_ENDIAN:
            checks.byteswap()
        kind_text = " ".join(kinds)
        index = bytes(kind_index)
        packed = checks.tobytes()
        digest = row_hash(
            prev,
            last_position=position - 1,
            count=count,
            stream=batch.stream,
            last_version=version + count - 1,
            recorded_at=self.micros,
            ids=ids,
            kinds=kind_text,
            kind_index=index,
            checks=packed,
            payloads=blob,
        )
        row = (
            position - 1,
            count,
            batch.stream,
            version + count - 1,
            self.micros,
            ids,
            kind_text,
            index,
            blob,
            packed,
            digest,
        )
        return row, digest


def id_runs(row: Commit | tuple[Any, ...]) -> list[tuple[bytes, bytes, int]]:
    """A commit row's ids as ``(first, last, position of first)`` runs of consecutive ids.

    The ``event_ids`` index keeps runs, not ids: a row of fresh ids is one run, so the
    uniqueness of every id costs one index entry per row. ``verify`` recomputes the runs
    from each row and checks the index holds exactly them.
    """
    last_position, count, ids = row[0], row[1], row[5]
    first_position = last_position - count + 1
    if len(ids) == 16:
        return [(ids, (int.from_bytes(ids) + count - 1).to_bytes(16), first_position)]
    runs: list[tuple[bytes, bytes, int]] = []
    run_first = last = ids[:16]
    run_position = first_position
    last_int = int.from_bytes(last)
    for offset in range(1, count):
        event_id = ids[16 * offset : 16 * offset + 16]
        value = int.from_bytes(event_id)
        if value != last_int + 1:
            runs.append((run_first, last, run_position))
            run_first, run_position = event_id, first_position + offset
        last, last_int = event_id, value
    runs.append((run_first, last, run_position))
    return runs


Kind = tuple[str, int, "Callable[[dict[str, Any]], Event] | None"]
"""An event kind: its type, schema version, and the trusted structuring function for it
(None: :func:`~hubcore.codec.decode_trusted` must take its slow path, e.g. to upcast)."""

_KINDS: dict[str, Kind] = {}


def parse_kinds(text: str) -> list[Kind]:
    """A row's ``kinds`` column as :data:`Kind` triples (remembered per distinct text)."""
    table = []
    for kind in text.split(" "):
        found = _KINDS.get(kind)
        if found is None:
            event_type, slash, schema = kind.rpartition("/")
            if not slash or not event_type or not ascii_digits(schema):
                raise ValueError(f"malformed event kind {kind!r}")
            found = (event_type, int(schema), trusted_structure_for(event_type, int(schema)))
            if len(_KINDS) < 4096:
                _KINDS[kind] = found
        table.append(found)
    return table


def split_row(row: tuple[Any, ...]) -> tuple[list[bytes], list[Kind]]:
    """A row's (:data:`COMMIT_COLUMNS`) payloads and kinds, once its columns are checked
    against each other and its event count; a :class:`TypeError` or :class:`ValueError`
    says what does not fit (for :func:`records` and :meth:`SqliteStore.verify`)."""
    count, at, ids, kinds, kind_index, blob = row[1], *row[4:9]
    if type(at) is not int:
        raise TypeError(f"recorded_at is {type(at).__name__}, not microseconds")
    if not (type(blob) is type(ids) is type(kind_index) is bytes and type(kinds) is str):
        raise TypeError("the row's payloads, event ids, kinds or kind index have the wrong type")
    payloads: list[bytes] = blob.split(b"\n")
    table = parse_kinds(kinds)
    if len(payloads) != count or len(kind_index) != count:
        raise ValueError(
            f"the row holds {len(payloads)} payloads and {len(kind_index)} kinds for {count} events"
        )
    if len(ids) not in (16, 16 * count):
        raise ValueError(f"the row's event ids are {len(ids)} bytes for {count} events")
    return payloads, table


_new = object.__new__
_UUID = uuid.UUID
_from_bytes = int.from_bytes
_UNKNOWN_SAFETY = uuid.SafeUUID.unknown
_SET_UUID_INT = slot_setter(uuid.UUID, "int")
_SET_UUID_SAFE = slot_setter(uuid.UUID, "is_safe")
_SET_RECORDED = tuple(
    slot_setter(Recorded, name)
    for name in (
        "stream",
        "version",
        "position",
        "event_id",
        "recorded_at",
        "schema_version",
        "event",
    )
)


def envelope(
    stream: str,
    *,
    version: int,
    position: int,
    event_id: bytes,
    recorded_at: datetime,
    schema_version: int,
    event: Event,
) -> Recorded:
    """The envelope of a stored event, built through the slots without ``__init__`` (for
    values already checked; :func:`records` inlines the same steps in its loop)."""
    ident = _new(_UUID)
    _SET_UUID_INT(ident, _from_bytes(event_id))
    _SET_UUID_SAFE(ident, _UNKNOWN_SAFETY)
    record = _new(Recorded)
    set_stream, set_version, set_position, set_id, set_at, set_schema, set_event = _SET_RECORDED
    set_stream(record, stream)
    set_version(record, version)
    set_position(record, position)
    set_id(record, ident)
    set_at(record, recorded_at)
    set_schema(record, schema_version)
    set_event(record, event)
    return record


def records(
    rows: Sequence[Any],
    names: dict[Any, str],
    name_of: Callable[[Any], str | None],
    *,
    after_position: int = 0,
    after_version: int = 0,
) -> Iterator[Recorded]:
    """Decode commit rows (:data:`~._backend.READ_FIELDS`) into envelopes, skipping events
    at or before ``after_position`` (or stream version ``after_version``); ``names`` maps
    the rows' stream keys to names, ``name_of`` answers a key it lacks.

    The hot loop of every replay: a row's payloads are split in one call, its
    ``recorded_at`` becomes one datetime, event ids and envelopes are built without running
    ``__init__`` (values from the verified log, checked for type here) through their slot
    descriptors. A row or event that will not decode is a :class:`CorruptRecord` naming
    its stream, version and position. A row carrying its decoded ``envelopes`` (the memory
    backend's) yields those.
    """
    decode = decode_trusted
    loads = orjson.loads
    lookup = names.get
    epoch, delta = EPOCH, timedelta
    new, uuid_cls, from_bytes, safety = _new, _UUID, _from_bytes, _UNKNOWN_SAFETY
    set_int, set_safe = _SET_UUID_INT, _SET_UUID_SAFE
    set_stream, set_version, set_position, set_id, set_at, set_schema, set_event = _SET_RECORDED
    recorded = Recorded
    for row in rows:
        last_position, count, stream_id, last_version, at, ids, _, kind_index, _ = row[:9]
        if not type(last_position) is type(count) is type(last_version) is int:
            raise _not_whole(row)
        first_position = last_position - count + 1
        first_version = last_version - count + 1
        skip = max(0, after_position - first_position + 1, after_version - first_version + 1)
        envelopes = getattr(row, "envelopes", None)
        if envelopes is not None:
            yield from envelopes[skip:]
            continue
        stream = lookup(stream_id)
        try:
            if stream is None:
                stream = name_of(stream_id)
                if stream is None:
                    raise ValueError(f"stream id {stream_id!r} has no name")
            payloads, table = split_row(row)
            when: datetime = epoch + delta(microseconds=at)
            explicit = len(ids) != 16
            base_id = from_bytes(ids[:16])
        except (HubcoreError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise CorruptRecord(
                str(error), stream=stream, version=first_version, position=first_position
            ) from None
        for k in range(skip, count):
            try:
                event_type, schema, structure = table[kind_index[k]]
                if structure is not None:
                    event = structure(loads(payloads[k]))
                else:
                    event = decode(payloads[k], event_type, schema)
            except Exception as error:
                raise CorruptRecord(
                    _reason(error, table, kind_index, k),
                    stream=stream,
                    version=first_version + k,
                    position=first_position + k,
                ) from None
            ident = new(uuid_cls)
            set_int(ident, from_bytes(ids[16 * k : 16 * k + 16]) if explicit else base_id + k)
            set_safe(ident, safety)
            record = new(recorded)
            set_stream(record, stream)
            set_version(record, first_version + k)
            set_position(record, first_position + k)
            set_id(record, ident)
            set_at(record, when)
            set_schema(record, schema)
            set_event(record, event)
            yield record


def _not_whole(row: Sequence[Any]) -> CorruptRecord:
    """The error for a row whose position, event count or version is not a whole number."""
    last_position, count, _, last_version = row[:4]
    return CorruptRecord(
        f"the row's last position {last_position!r}, event count {count!r} and last version "
        f"{last_version!r} must be whole numbers",
        position=last_position if type(last_position) is int else None,
    )


def _reason(error: Exception, table: list[Kind], kind_index: bytes, k: int) -> str:
    """Why event ``k`` of a row would not decode, for its :class:`CorruptRecord`."""
    if isinstance(error, CorruptRecord):
        return error.reason
    if isinstance(error, HubcoreError):
        return str(error)
    try:
        event_type = table[kind_index[k]][0]
    except IndexError:
        return f"kind index {kind_index[k]} is not among the row's {len(table)} kinds"
    return f"{event_type}: {type(error).__name__}: {error}"
