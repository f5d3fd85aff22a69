"""The domain rules (the rules of docs/domain.md): commands become events, or a DomainError.

A command is the event itself ("record this fact"). :class:`Recorder` checks each one
against its stream's state and appends it; :func:`decide` and :func:`evolve` are the pure
functions underneath, and :func:`check_history` replays a whole history through them.

The rules, each refused with :class:`hubcore.DomainError` naming the rule code, the
stream (URN or hub id) and the event; nothing is appended:

- ``no-future-dates``: no event may be dated after today (the Recorder's clock).
- ``register-once``: ``SchoolRegistered`` twice for one URN is refused (use
  ``SchoolDetailsUpdated``).
- ``school-registered-first``: any other school event needs the school registered.
- ``not-before-registration``: no school event may be dated before the registration.
- ``not-after-closure``: no school event may be dated after the ``SchoolClosed`` date
  (the closure day itself is allowed).
- ``close-once``: a closed school cannot be closed again.
- ``closure-after-recorded-events``: a closure cannot be dated before events already
  recorded for the school (else they would lie after it).
- ``unique-ids``: a ``conversation_id``, ``action_id`` or ``evaluation_id`` is used once
  per school stream.
- ``action-agreed-first`` / ``action-completed-once``: ``ActionCompleted`` needs an open
  ``ActionAgreed`` with that ``action_id`` in the same stream (not completed or withdrawn).
- ``action-withdrawn-while-open``: ``ActionWithdrawn`` needs an agreed action that is still
  open: a completed or withdrawn action cannot be withdrawn.
- ``superseding-action-agreed-first``: ``ActionWithdrawn.superseded_by``, when given, names
  an action already agreed in the same stream.
- ``conversation-held-first``: ``ActionAgreed`` with a ``conversation_id`` needs that
  ``ConversationHeld`` in the stream.
- ``participation-within-roll``: ``ParticipationRecorded`` counts cannot exceed the
  school's latest known ``pupils_on_roll`` (after ``SchoolDetailsUpdated``).
- ``support-between-registered-schools``: ``SchoolToSchoolSupportBrokered`` needs the
  lead school to be a different school, registered on or before the date and not closed
  before it.
- ``establish-once``: ``HubEstablished`` twice for one hub is refused.
- ``hub-established-first``: any other hub event needs ``HubEstablished`` first.
- ``not-before-establishment``: no hub event may be dated before the establishment.
- ``plan-versions-increase``: ``MusicEducationPlanPublished.plan_version`` strictly
  increases.
- ``consultation-recorded-once``: a ``YouthConsultationHeld.consultation_id`` is used once
  per hub stream (recording the same consultation twice is refused, not counted twice).
"""

from __future__ import annotations

from hubcore.domain._decide import RULES, SchoolLookup, decide
from hubcore.domain._history import check_history
from hubcore.domain._recorder import Recorder
from hubcore.domain._state import HubState, SchoolState, StreamState, evolve, fold, initial_state

__all__ = [
    "RULES",
    "HubState",
    "Recorder",
    "SchoolLookup",
    "SchoolState",
    "StreamState",
    "check_history",
    "decide",
    "evolve",
    "fold",
    "initial_state",
]
