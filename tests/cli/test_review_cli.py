"""`kequ health`, `kequ review` and `kequ report` through the real command; the workbook read back."""

from __future__ import annotations

from datetime import timedelta

from openpyxl import load_workbook

from tests.conftest import DEMO_TODAY


def _book(kequ) -> None:
    assert kequ("add", "王建国", "--honorific", "王总", "--tier", "关键", "--company", "恒瑞贸易").code == 0
    assert kequ("add", "李娜", "--tier", "常规").code == 0
    assert kequ("log", "王总", "--kind", "电话", "--date", DEMO_TODAY.isoformat(), "--note", "=聊了新项目").code == 0
    last_week = (DEMO_TODAY - timedelta(days=3)).isoformat()
    assert kequ("log", "李娜", "--kind", "拜访", "--date", last_week).code == 0


def test_health_as_json_has_the_score_its_parts_and_a_trend(kequ) -> None:
    _book(kequ)
    result = kequ("health", "王总", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert set(doc["parts"]) == {"recency", "regularity", "greetings", "gifts", "complaints", "standing"}
    assert sum(p["points"] for p in doc["parts"].values()) == doc["score"]
    assert isinstance(doc["score"], int)
    assert doc["parts"]["recency"]["points"] == 40
    assert doc["trend"]["now"] == doc["score"]
    plain = kequ("health", "王总")
    assert plain.out.startswith(f"王总（王建国）：{doc['score']} 分（4 周前 ")
    assert "最近联系 40/40" in plain.out


def test_health_of_someone_unknown_is_refused_in_one_line(kequ) -> None:
    result = kequ("health", "没这人")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1


def test_review_json_has_done_planned_and_cooling_for_the_week_and_the_month(kequ) -> None:
    _book(kequ)
    week = kequ("review", "--json").json()
    assert week["done"] == {"total": 1, "by_kind": {"call": 1}}
    assert "total" in week["planned"] and week["cooling"] == []
    assert len(week["weeks"]) == 13
    month = kequ("review", "--month", "--json").json()
    assert month["period"] == {"span": "month", "start": "2026-11-01", "end": "2026-11-30"}
    assert month["done"]["by_kind"] == {"call": 1, "visit": 1}
    earlier = kequ("review", "--date", "2026-11-20", "--json").json()
    assert earlier["done"]["by_kind"] == {"visit": 1}
    assert kequ("review", "--week", "--month").code == 2


def test_the_report_workbook_has_its_sheets_headers_rows_and_charts(kequ, tmp_path) -> None:
    _book(kequ)
    out = tmp_path / "周报.xlsx"
    result = kequ("report", "--month", "-o", str(out))
    assert result.code == 0, result.err
    book = load_workbook(out)
    assert book.sheetnames == ["跟进记录", "客户健康", "统计"]
    contacts = book["跟进记录"]
    rows = list(contacts.iter_rows(values_only=True))
    assert rows[0] == ("日期", "客户", "公司", "方式", "记录", "结果", "下一步")
    assert [(r[1], r[3]) for r in rows[1:]] == [("李娜", "拜访"), ("王建国", "电话")]
    assert rows[2][2] == "恒瑞贸易"
    assert rows[2][4] == "'=聊了新项目"  # stored as text, never run as a formula
    health = list(book["客户健康"].iter_rows(values_only=True))
    assert health[0][:5] == ("客户", "公司", "健康度", "4周前", "变化")
    assert "最近联系" in health[0]
    assert {r[0] for r in health[1:]} == {"王建国", "李娜"}
    stats = book["统计"]
    assert stats["A1"].value == "周" and stats["B1"].value == "完成" and stats["C1"].value == "计划"
    assert stats.max_row >= 14
    charts = stats._charts
    assert len(charts) == 2
    assert all(type(c).__name__ == "BarChart" for c in charts)


def test_the_report_wants_a_period_and_an_xlsx_name(kequ, tmp_path) -> None:
    _book(kequ)
    assert kequ("report", "-o", str(tmp_path / "a.xlsx")).code == 2
    refused = kequ("report", "--week", "-o", str(tmp_path / "周报.csv"))
    assert refused.code == 2 and "xlsx" in refused.err
    assert not (tmp_path / "周报.csv").exists()
