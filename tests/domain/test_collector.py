"""The cycle collector paused while the agenda and the duplicate pairs are made, and put back."""

from __future__ import annotations

import gc

import pytest

from kequ.domain.collector import collector_paused


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_comes_back_after_an_error_too() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a read that failed")
    assert gc.isenabled()


def test_a_collector_someone_else_switched_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_was_made_meanwhile_waits_for_a_full_collection() -> None:
    gc.collect()
    with collector_paused():
        made = [[n] for n in range(1000)]  # lists stay tracked: the collector sees them
    assert gc.get_count()[0] < len(made)  # not all left young, to be walked at the next allocation
    assert gc.get_freeze_count() == 0  # moved on, not frozen
    assert all(gc.is_tracked(item) for item in made[:10])


def test_what_someone_else_froze_stays_frozen() -> None:
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            _made = [[n] for n in range(100)]
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
