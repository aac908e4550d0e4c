"""`kequ search --notes TEXT`, through the real command."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import DEMO_TODAY


def test_notes_search_lists_each_hit_with_customer_day_and_kind(kequ) -> None:
    day = (DEMO_TODAY - timedelta(days=2)).isoformat()
    assert kequ("add", "王芳", "--honorific", "王总", "--note", "签了年度框架协议").code == 0
    assert kequ("add", "李强").code == 0
    assert kequ("log", "李强", "--kind", "拜访", "--date", day, "--note", "客户催交货，月底前要样品").code == 0
    assert kequ("log", "王芳", "--kind", "电话", "--note", "交了押金，货下周到").code == 0
    found = kequ("search", "--notes", "交货", "--json")
    assert found.code == 0, found.err
    assert found.json() == [
        {
            "customer_id": 2,
            "customer": "李强",
            "honorific": "",
            "date": day,
            "source": "interaction",
            "ref_id": 1,
            "kind": "visit",
            "step": None,
            "what": "拜访记录",
            "line": "客户催交货，月底前要样品",
            "text": "客户催交货，月底前要样品",
        }
    ]
    table = kequ("search", "--notes", "框架协议")
    assert table.code == 0, table.err
    assert "笔记里找「框架协议」：1 条" in table.out and "王总" in table.out and "客户备注" in table.out
    assert kequ("search", "--notes", "合同", "--json").json() == []
    assert kequ("search", "王").code == 0  # the ordinary search is still the customers'


def test_notes_search_refuses_a_word_of_one_character_and_cuts_at_the_limit(kequ) -> None:
    refused = kequ("search", "--notes", "货")
    assert refused.code == 2 and "“货”太短" in refused.err and refused.err.count("\n") == 1
    assert kequ("add", "王芳").code == 0
    for n in range(3):
        assert kequ("log", "王芳", "--kind", "电话", "--note", f"第{n}次谈交期").code == 0
    cut = kequ("search", "--notes", "交期", "--limit", "2", "--json")
    assert [hit["line"] for hit in cut.json()] == ["第2次谈交期", "第1次谈交期"]  # type: ignore[index,union-attr]
    assert "只列出了最新的 2 条" in cut.err
