"""`kequ config rhythm.<tier>.<kind>` and `kequ rhythm NAME`, through the real command."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import DEMO_TODAY


def _due_calls(kequ, name: str) -> list[str]:
    items = kequ("today", "--json").json()
    return [i["date"] for i in items if i["customer"] == name and i["kind"] == "call"]  # type: ignore[index,union-attr]


def test_a_tier_rhythm_set_on_the_command_line_moves_today(kequ) -> None:
    assert kequ("add", "李强", "--tier", "常规").code == 0
    past = (DEMO_TODAY - timedelta(days=70)).isoformat()
    assert kequ("log", "李强", "--kind", "电话", "--date", past).code == 0
    assert _due_calls(kequ, "李强") == []
    saved = kequ("config", "rhythm.regular.call", "60")
    assert saved.code == 0, saved.err
    assert saved.out.strip() == "已设置 常规客户：电话间隔（天）（rhythm.regular.call）：60"
    assert kequ("config", "rhythm.regular.call").out == "60\n"
    assert kequ("config", "--json").json()["rhythm.regular.call"] == 60  # type: ignore[index]
    assert _due_calls(kequ, "李强") == [(DEMO_TODAY - timedelta(days=10)).isoformat()]
    refused = kequ("config", "rhythm.regular.call", "-1")
    assert refused.code == 2 and "请写一个整数，0 到 3660 之间" in refused.err
    unknown = kequ("config", "rhythm.vip.call", "10")
    assert unknown.code == 2 and "rhythm.regular.call" in unknown.err  # the known keys are listed


def test_a_customers_own_rhythm_set_shown_and_reset(kequ) -> None:
    assert kequ("add", "王芳", "--tier", "关键").code == 0
    past = (DEMO_TODAY - timedelta(days=20)).isoformat()
    assert kequ("log", "王芳", "--kind", "电话", "--date", past).code == 0
    shown = kequ("rhythm", "王芳")
    assert shown.code == 0, shown.err
    assert shown.out.strip() == "王芳的联系节奏：电话每 30 天（按关键客户） · 拜访每 180 天（按关键客户）"
    assert _due_calls(kequ, "王芳") == []
    own = kequ("rhythm", "王芳", "--call", "14", "--visit", "９０", "--json")
    assert own.code == 0, own.err
    assert own.json() == {
        "name": "王芳",
        "customer_id": 1,
        "tier": "key",
        "call": {"days": 14, "own": True},
        "visit": {"days": 90, "own": True},
    }
    assert _due_calls(kequ, "王芳") == [(DEMO_TODAY - timedelta(days=6)).isoformat()]
    back = kequ("rhythm", "王芳", "--reset")
    assert back.code == 0 and "电话每 30 天（按关键客户）" in back.out
    assert _due_calls(kequ, "王芳") == []


def test_rhythm_refusals_are_one_line_and_exit_2(kequ) -> None:
    assert kequ("add", "王芳").code == 0
    for args, says in (
        (("王芳", "--call", "often"), "电话间隔“often”不对"),
        (("王芳", "--visit", "4000"), "0 到 3660"),
        (("王芳", "--reset", "--call", "7"), "--reset 不能和 --call/--visit 一起用"),
        (("没这人", "--call", "7"), "没这人"),
    ):
        result = kequ("rhythm", *args)
        assert result.code == 2, (args, result.err)
        assert says in result.err and result.err.count("\n") == 1
    assert kequ("rhythm", "王芳", "--json").json()["call"] == {"days": 90, "own": False}  # type: ignore[index]
