"""The y/N question ``kequ delete`` and ``kequ merge`` ask: one set of answers for both."""

from __future__ import annotations

import io

import pytest

from kequ.cli.common import confirmed


@pytest.mark.parametrize("answer", ["y", "Y", "yes", " YES ", "是", "是的", "好", "确定", "对"])
def test_a_yes_in_either_language_is_yes(monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    asked = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(answer + "\n"))
    monkeypatch.setattr("sys.stderr", asked)
    assert confirmed("删除吗？[y/N] ") is True
    assert asked.getvalue() == "删除吗？[y/N] "  # the question, with no line break after it


@pytest.mark.parametrize("answer", ["", "n", "no", "不", "yy", "y es"])
def test_anything_else_is_no_enter_alone_included(monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(answer + "\n"))
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert confirmed("? ") is False


def test_no_input_at_all_is_no(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # end of input: nobody answered
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert confirmed("? ") is False
