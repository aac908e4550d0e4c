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
