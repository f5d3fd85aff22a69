"""Anchoring: a signed statement of the log's head, to prove later that the log still
extends it.

The hash chain alone shows that a log is consistent, not that it is the log that was
there: anyone who can edit the file can rewrite events and recompute every hash. An
**anchor** is a small statement (the head position and the chain hash there, when it was
made) signed with HMAC-SHA256 under a secret **hub key** that the store does not hold.
Kept somewhere else (a funder's inbox, a printed report's footer, another machine),
:func:`check_anchor` later proves that the log still extends that head: the whole chain
verifies, and the batch ending at the anchored position still has the anchored hash, so
nothing up to that position was changed, removed or reordered since.

It does **not** protect against someone who has the key (they can sign a new anchor for
a rewritten log: keep the key away from the store), and it says nothing about events
after the last anchor (anchor again after each import or year end), nor about what was
recorded before it being true.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import orjson

from hubcore.errors import AnchorMismatch, HubcoreError
from hubcore.store import EventStore, Store

__all__ = [
    "ANCHOR_FORMAT",
    "Anchor",
    "anchor_head",
    "check_anchor",
    "load_key",
    "new_key",
]

ANCHOR_FORMAT = "hubcore-anchor"
_VERSION = 1
_KEY_BYTES = 32


def new_key(path: str | os.PathLike[str]) -> bytes:
    """Make a new random hub key in the file ``path`` (readable by its owner only); refuses
    to replace a file that is there."""
    key = secrets.token_bytes(_KEY_BYTES)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise HubcoreError(
            f"{path}: a file is already there; a hub key is never replaced"
        ) from None
    with os.fdopen(handle, "w") as out:
        out.write(key.hex() + "\n")
    return key


def load_key(path: str | os.PathLike[str]) -> bytes:
    """The hub key in ``path`` (64 hex digits, as :func:`new_key` writes)."""
    try:
        text = Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise HubcoreError(f"{path}: cannot read the hub key: {error}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < _KEY_BYTES:
        raise HubcoreError(
            f"{path}: not a hub key (expected {2 * _KEY_BYTES} hex digits; make one with "
            "hubcore anchor --new-key)"
        )
    return key


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"hubcore-key-id\x00" + key).hexdigest()[:16]


@attrs.frozen
class Anchor:
    """A signed statement that the log had ``chain_hash`` at ``position``."""

    position: int
    chain_hash: str
    anchored_at: str
    key_id: str
    mac: str

    def _body(self) -> dict[str, Any]:
        return {
            "format": ANCHOR_FORMAT,
            "version": _VERSION,
            "position": self.position,
            "chain_hash": self.chain_hash,
            "anchored_at": self.anchored_at,
            "key_id": self.key_id,
        }

    def signed_bytes(self) -> bytes:
        """The bytes the MAC covers: every field but ``mac``, as sorted-key JSON."""
        return orjson.dumps(self._body(), option=orjson.OPT_SORT_KEYS)

    def to_json(self) -> bytes:
        """The statement as a JSON document (what ``hubcore anchor`` writes)."""
        return orjson.dumps({**self._body(), "mac": self.mac}, option=orjson.OPT_INDENT_2)

    @classmethod
    def from_json(cls, data: bytes, source: str = "the anchor") -> Anchor:
        """Read a statement :meth:`to_json` wrote; :class:`HubcoreError` naming what is
        wrong otherwise."""
        try:
            raw = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise HubcoreError(f"{source}: not an anchor (not JSON: {error})") from None
        if not isinstance(raw, dict) or raw.get("format") != ANCHOR_FORMAT:
            raise HubcoreError(f"{source}: not an anchor (no 'format': {ANCHOR_FORMAT!r})")
        if raw.get("version") != _VERSION:
            raise HubcoreError(f"{source}: anchor version {raw.get('version')!r} is not known")
        fields = ("position", "chain_hash", "anchored_at", "key_id", "mac")
        kinds = (int, str, str, str, str)
        for name, kind in zip(fields, kinds, strict=True):
            if type(raw.get(name)) is not kind:
                raise HubcoreError(f"{source}: anchor field {name!r} is missing or malformed")
        if raw["position"] < 0:
            raise HubcoreError(f"{source}: anchor position {raw['position']} is negative")
        return cls(*(raw[name] for name in fields))


def _chain(store: EventStore, at: int | None) -> tuple[int, bytes, bytes | None]:
    if not isinstance(store, Store):
        raise HubcoreError(
            f"anchoring needs a store built on hubcore's store core, not a {type(store).__name__}"
        )
    return store.verify_chain(at)


def _mac(key: bytes, anchor: Anchor) -> str:
    return hmac.new(key, anchor.signed_bytes(), hashlib.sha256).hexdigest()


def anchor_head(store: EventStore, key: bytes, *, now: datetime | None = None) -> Anchor:
    """Verify the whole chain, then sign a statement of its head with ``key``."""
    head, head_hash, _ = _chain(store, None)
    when = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    unsigned = Anchor(head, head_hash.hex(), when, _key_id(key), "")
    return attrs.evolve(unsigned, mac=_mac(key, unsigned))


def check_anchor(store: EventStore, anchor: Anchor, key: bytes) -> int:
    """Prove the log still extends ``anchor``: its MAC checks under ``key``, the whole
    chain verifies, and the batch ending at its position has its chain hash. Returns the
    current head; raises :class:`~hubcore.AnchorMismatch` saying which part failed (or
    :class:`~hubcore.IntegrityError` where the chain itself breaks)."""
    if anchor.key_id != _key_id(key):
        raise AnchorMismatch(
            f"the anchor was signed with another key (key id {anchor.key_id}, this key's "
            f"is {_key_id(key)})"
        )
    if not hmac.compare_digest(anchor.mac, _mac(key, anchor)):
        raise AnchorMismatch("the anchor's signature does not match: the statement was edited")
    head, _, at = _chain(store, anchor.position)
    if anchor.position > head:
        raise AnchorMismatch(
            f"the log ends at position {head}, before the anchored head {anchor.position}: "
            "events recorded before the anchor are gone"
        )
    if at is None:
        raise AnchorMismatch(
            f"no batch of the log ends at the anchored position {anchor.position}: the log "
            "before it was rewritten"
        )
    if not hmac.compare_digest(at.hex(), anchor.chain_hash):
        raise AnchorMismatch(
            f"the log's chain hash at position {anchor.position} is not the anchored one: "
            "the log up to it was rewritten since the anchor was made"
        )
    return head
