"""Every word of every vocabulary has a human label; reports never show a stored word."""

from __future__ import annotations

import inspect
from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubcore import vocabulary
from hubcore._labels import LABELS
from hubcore.errors import HubcoreError
from hubcore.reporting import label as reporting_label
from hubcore.vocabulary import Grade, Offer, ParticipationProgramme, Phase, label

ENUMS = [
    obj
    for _, obj in inspect.getmembers(vocabulary, inspect.isclass)
    if issubclass(obj, StrEnum)
    and obj.__module__ == vocabulary.__name__
    and not obj.__name__.startswith("_")  # the shared base of the vocabularies
]
MEMBERS = [member for enum in ENUMS for member in enum]


def test_every_vocabulary_is_found():
    assert len(ENUMS) == len([n for n in vocabulary.__all__ if n[0].isupper()])
    assert Offer in ENUMS
    assert Phase in ENUMS


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_every_word_has_a_written_label(member):
    assert member.value in LABELS, f"add a label for {type(member).__name__}.{member.name}"
    text = label(member)
    assert text == label(member.value) == LABELS[member.value]
    assert text != member.value
    assert "_" not in text
    assert text[0].isupper()
    assert text == text.strip()
    assert "  " not in text


def test_examples_read_as_people_say_them():
    assert label(Offer.WHOLE_CLASS_ENSEMBLE) == "First access (whole class)"
    assert label(ParticipationProgramme.WHOLE_CLASS_ENSEMBLE) == "First access (whole class)"
    assert label(ParticipationProgramme.TUITION_SMALL_GROUP) == "Tuition (small group)"
    assert label(Phase.ALTERNATIVE_PROVISION) == "Alternative provision"
    assert label(Phase.POST_16) == "Post-16"
    assert label(Grade.NEEDS_ATTENTION) == "Needs attention"


def test_labels_are_distinct_within_each_vocabulary():
    for enum in ENUMS:
        texts = [label(m) for m in enum]
        assert len(set(texts)) == len(texts), enum.__name__


def test_no_label_is_kept_for_a_word_no_vocabulary_has():
    words = {m.value for m in MEMBERS}
    assert set(LABELS) - words == set()


def test_the_reporting_package_offers_the_same_function():
    assert reporting_label is label


@given(st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True))
def test_an_unknown_word_is_made_readable(word):
    text = label(word)
    if word in LABELS:
        assert text == LABELS[word]
        return
    assert "_" not in text
    assert text[0] == word[0].upper()
    assert text.replace(" ", "") == word.replace("_", "")[:1].upper() + word.replace("_", "")[1:]


def test_a_value_that_is_not_a_word_is_refused():
    with pytest.raises(HubcoreError, match="takes a vocabulary word, got int"):
        label(3)  # type: ignore[arg-type]
