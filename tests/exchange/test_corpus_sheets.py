"""The spreadsheet corpus: files as Excel, WPS, Google Contacts, Outlook and WeChat exporters
write them (tests/exchange/corpus/sheets/README.md says where each shape comes from), and
kequ's own CSV and XLSX read back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from kequ.exchange.imports.run import import_file, preview_import
from kequ.exchange.spreadsheet import join_tags, split_tags
from kequ.storage.models import Customer, ImportantDate
from tests.exchange.conftest import excel_csv

CORPUS = Path(__file__).resolve().parent / "corpus" / "sheets"


def _people(db) -> dict[str, Customer]:
    with db.session() as session:
        return {row.name: row for row in session.exec(select(Customer).order_by(Customer.id))}


def _birthdays(db) -> dict[int, list[tuple[int | None, int, int, bool]]]:
    found: dict[int, list[tuple[int | None, int, int, bool]]] = {}
    with db.session() as session:
        for row in session.exec(select(ImportantDate).order_by(ImportantDate.id)):
            found.setdefault(row.customer_id, []).append((row.year, row.month, row.day, row.lunar))
    return found


# (file, the names imported, the group chats and official accounts skipped). Every row of these files that has a
# name, nickname, company, phone or e-mail is a person to import.
EXPECTED = [
    (
        "excel-utf8-bom.csv",
        ["王建国", "陈静", "周强", "刘洋", "杭州青禾食品有限公司", "老马", "buyer", "孙丽华", "赵敏"],
        0,
    ),
    ("excel-gbk.csv", ["王建国", "陈静", "周强", "刘洋"], 0),
    ("excel.xlsx", ["何志明", "郑晓燕", "冯伟"], 0),
    ("wps.xlsx", ["黄海涛", "太仓港务物流有限公司", "吴一帆"], 0),
    ("google-contacts.csv", ["林建国", "Tony Leung", "Anna Maria Schmidt", "青岛海湾化工有限公司"], 0),
    ("outlook-zh-cn.csv", ["钱海燕", "David Chen", "芜湖长江船舶配件厂"], 0),
    ("wechat-contacts.csv", ["许总", "小谢"], 2),
    ("wechat-contacts.xlsx", ["吕工-常熟", "Grace"], 1),
]


@pytest.mark.parametrize(("name", "people", "groups"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_every_row_that_says_who_is_imported(db, name: str, people: list[str], groups: int) -> None:
    report = import_file(db, CORPUS / name)
    assert (report.errors, report.rejected_rows) == ([], 0)
    assert list(_people(db)) == people
    assert report.added == len(people) and len(report.left_out) == groups
    assert report.rows == len(people) + groups


def test_excel_csv_keeps_what_it_cannot_read_in_the_notes(db) -> None:
    report = import_file(db, CORPUS / "excel-utf8-bom.csv")
    people = _people(db)
    wang, chen, zhou, liu = people["王建国"], people["陈静"], people["周强"], people["刘洋"]
    # A 4-digit 集团短号 after a mobile: the mobile kept, the short number in the notes.
    assert wang.phones == ["13912345678"] and wang.notes == "导入时未能识别：手机 6688"
    assert wang.tags == ["老客户", "决策人"]
    # "赵六" <…> is its address; 0000-05-12 is 5月12日 with no year.
    assert chen.email == "zhaoliu@example.cn" and chen.notes == ""
    assert _birthdays(db)[chen.id] == [(None, 5, 12, False)]
    assert chen.phones == ["0512-66881234 转808"]
    assert zhou.phones == [] and zhou.notes == "电话没留\n导入时未能识别：手机 00000000000；生日 1900-01-01"
    # 0755-26881234,808: the short number after an office line is its extension.
    assert liu.phones == ["0755-26881234 转808"]
    assert _birthdays(db)[liu.id] == [(1980, 5, 12, False)]  # 29353, Excel's day number
    assert people["杭州青禾食品有限公司"].phones == ["0571-88776655 转808"]
    assert people["孙丽华"].phones == ["13805101234"]
    assert people["孙丽华"].notes == "导入时未能识别：手机 12345678901；生日 生日不记得了"
    assert people["赵敏"].phones == ["+86-512-6688-1234 转102"]
    assert people["老马"].honorific == "老马" and people["buyer"].email == "buyer@jinqiao.example"
    keys = {(w.line, w.key) for w in report.warnings}
    assert {(2, "io.row.phone_short"), (4, "io.row.phone_placeholder")} <= keys
    assert {(6, "io.row.named_from"), (7, "io.row.named_from"), (8, "io.row.named_from")} <= keys
    assert report.warned_rows == 7 and 3 not in {w.line for w in report.warnings}


@pytest.mark.parametrize(
    "text", ["0000-05-12", "0000/5/12", "00000512", "0000年5月12日", "1604-05-12", "1604/05/12", "--05-12"]
)
def test_a_placeholder_year_is_a_birthday_without_a_year(db, tmp_path: Path, text: str) -> None:
    report = import_file(db, excel_csv(tmp_path / "c.csv", [["姓名", "生日"], ["陈静", text]]))
    assert (report.added, report.warnings) == (1, [])
    (chen,) = _people(db).values()
    assert _birthdays(db)[chen.id] == [(None, 5, 12, False)] and chen.notes == ""


def test_a_real_old_year_is_not_taken_for_no_year(db, tmp_path: Path) -> None:
    # 1605 and 0001 are no placeholders: still out of range, kept in the notes.
    report = import_file(
        db, excel_csv(tmp_path / "c.csv", [["姓名", "生日"], ["陈静", "1605-05-12"], ["李娜", "0001-05-12"]])
    )
    assert [w.key for w in report.warnings] == ["date.year_out_of_range"] * 2
    assert _birthdays(db) == {}


def test_the_error_report_shows_warnings_apart_from_refusals(db, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    source = excel_csv(
        tmp_path / "c.csv", [["姓名", "手机", "生日"], ["王建国", "13912345678", "1900-01-01"], ["", "", "5-3"]]
    )
    report = import_file(db, source, report_path=target)
    assert (report.added, report.rejected_rows, report.warned_rows) == (1, 1, 1)
    header, refused, warned = target.read_text(encoding="utf-8-sig").splitlines()
    assert header == "原行号,导入错误,导入提示,姓名,手机,生日"
    assert refused.startswith("3,姓名：") and refused.endswith(",,,,5-3")
    assert warned.startswith("2,,生日 1900-01-01：") and warned.endswith(",王建国,13912345678,1900-01-01")


def test_an_excel_workbook_with_instructions_first_and_numbers_for_phones(db) -> None:
    report = import_file(db, CORPUS / "excel.xlsx")
    assert (report.sheet, report.sheets) == ("客户名单", ["填写说明", "客户名单"])
    people = _people(db)
    he, zheng, feng = people["何志明"], people["郑晓燕"], people["冯伟"]
    # Excel dropped the leading 0 of 0512-… and the + of +86 …: the digits say which.
    assert he.phones == ["13961234567", "0512-66881234"]
    assert zheng.phones == ["+8613912345678", "021-12345678"]
    assert _birthdays(db)[he.id] == [(1980, 5, 12, False)] and _birthdays(db)[zheng.id] == [(1980, 5, 12, False)]
    # 类型 holding 力量型 / 活泼型 is the personality type.
    assert (he.disc, zheng.disc, feng.disc) == ("D", "I", "C")
    # A note stored as text in the workbook is a value, never a formula.
    assert he.notes == "=SUM(A1:A2)"
    # Nine digits: nothing says what was lost, so kept as it is, with a warning.
    assert feng.phones == ["912345678"]
    assert [(w.line, w.key) for w in report.warnings] == [(4, "io.row.phone_check")]


def test_the_preview_says_which_sheet_and_another_can_be_chosen(db, tmp_path: Path) -> None:
    preview = preview_import(db, CORPUS / "excel.xlsx")
    assert (preview.sheet, preview.sheets) == ("客户名单", ("填写说明", "客户名单"))
    assert preview.columns[:3] == ("姓名", "公司", "手机")
    chosen = preview_import(db, CORPUS / "excel.xlsx", sheet="填写说明")
    assert chosen.sheet == "填写说明" and chosen.report is None and "姓名" in (chosen.problem or "")


def test_kequ_import_sheet_from_the_command_line(kequ, db_path: Path) -> None:
    result = kequ("import", str(CORPUS / "excel.xlsx"), "--dry-run")
    assert result.code == 0, result.err
    assert "读取的工作表：客户名单（共 2 个" in result.out and "--sheet" in result.out
    wrong = kequ("import", str(CORPUS / "excel.xlsx"), "--sheet", "Sheet9")
    assert wrong.code == 2 and wrong.out == ""
    assert wrong.err.strip() == "错误：工作簿里没有叫「Sheet9」的工作表。工作表有：填写说明、客户名单。"
    named = kequ("import", str(CORPUS / "excel.xlsx"), "--sheet", "客户名单", "--json")
    assert named.code == 0 and named.json()["sheet"] == "客户名单" and named.json()["added"] == 3


def test_wps_title_row_and_company_beside_contact(db) -> None:
    import_file(db, CORPUS / "wps.xlsx")
    people = _people(db)
    assert (people["黄海涛"].company, people["黄海涛"].tier) == ("昆山玉山电子有限公司", "key")
    assert people["太仓港务物流有限公司"].phones == ["0512-53881234"]
    assert _birthdays(db)[people["吴一帆"].id] == [(1985, 10, 1, False)]


def test_google_contacts_csv(db) -> None:
    report = import_file(db, CORPUS / "google-contacts.csv")
    people = _people(db)
    lin, tony, anna = people["林建国"], people["Tony Leung"], people["Anna Maria Schmidt"]
    # 姓 then 名 with no space for a Chinese name; Given Middle Family for a Latin one.
    assert (lin.company, lin.title, lin.city) == ("厦门鹭江贸易有限公司", "采购总监", "厦门")
    assert lin.phones == ["+86 139 5000 1234", "+86 592 556 1234"]  # " ::: " joins two numbers
    assert lin.tags == ["客户"]  # Google's own * myContacts is no tag
    assert _birthdays(db)[lin.id] == [(None, 8, 3, False)]  # --08-03
    assert tony.honorific == "Tony哥" and _birthdays(db)[tony.id] == [(1976, 6, 27, False)]
    assert anna.email == "anna@rhein.example" and anna.notes == "E-mail 1 - Value：a.schmidt@mail.example"
    assert report.mapping["Phone 1 - Label"] == "-" and report.mapping["First Name"] == "given_name"


def test_outlook_chinese_csv(db) -> None:
    report = import_file(db, CORPUS / "outlook-zh-cn.csv")
    assert report.encoding == "gb18030"
    people = _people(db)
    qian, david = people["钱海燕"], people["David Chen"]
    assert (qian.company, qian.title, qian.email, qian.gender) == (
        "合肥巢湖机电有限公司",
        "财务经理",
        "qian@chaohu.example",
        "female",
    )
    assert qian.phones == ["0551-62881234", "13855123456"] and qian.tags == ["重点客户"]
    assert qian.notes == "喜欢打羽毛球"  # no 敏感度：普通, no 纪念日：0/0/00
    assert _birthdays(db) == {qian.id: [(1983, 4, 9, False)]}  # 0/0/00 is no birthday
    assert david.gender is None and david.notes == ""  # 未指定 is not said


def test_outlook_lists_only_the_unknown_columns_that_hold_something(db, tmp_path: Path, kequ) -> None:
    report = import_file(db, CORPUS / "outlook-zh-cn.csv", dry_run=True)
    # Its 60-odd unknown columns are empty in all three rows (纪念日 0/0/00 is no date).
    assert len(report.to_notes) == 65 and report.empty_columns == report.to_notes
    result = kequ("--db", str(tmp_path / "o.db"), "import", str(CORPUS / "outlook-zh-cn.csv"), "--dry-run")
    assert result.code == 0, result.err
    assert "65 个不认识的列每一行都是空的，没有可记的内容。" in result.out
    assert "不认识的列将写进备注" not in result.out and "住宅地址 街道 2" not in result.out

    header = ["名", "姓", "单位", "纪念日", "配偶", "子女", "部门", "寻呼机", "网页"]
    rows = [
        header,
        ["海燕", "钱", "巢湖机电", "2010/10/1", "李梅", "小明", "财务部", "", ""],
        ["伟", "冯", "", "", "", "", "", "", ""],
    ]
    report = import_file(db, excel_csv(tmp_path / "o.csv", rows))
    assert report.mapping["纪念日"] == "anniversary"
    assert report.to_notes == ["配偶", "子女", "部门", "寻呼机", "网页"] and report.empty_columns == ["寻呼机", "网页"]
    qian = _people(db)["钱海燕"]
    assert qian.notes == "配偶：李梅\n子女：小明\n部门：财务部"
    with db.session() as session:
        dates = [(d.kind, d.year, d.month, d.day) for d in session.exec(select(ImportantDate))]
    assert dates == [("anniversary", 2010, 10, 1)]
    out = kequ("--db", str(tmp_path / "p.db"), "import", str(tmp_path / "o.csv"), "--dry-run").out
    assert "不认识的列将写进备注：配偶、子女、部门（" in out and "2 个不认识的列每一行都是空的" in out


def test_an_anniversary_merged_into_a_customer_is_not_written_twice(db, tmp_path: Path) -> None:
    rows = [["姓名", "手机", "纪念日", "生日"], ["钱海燕", "13855123456", "2010-10-01", "10-01"]]
    import_file(db, excel_csv(tmp_path / "a.csv", rows))
    import_file(db, excel_csv(tmp_path / "b.csv", rows), on_duplicate="merge")
    with db.session() as session:
        dates = sorted((d.kind, d.month, d.day) for d in session.exec(select(ImportantDate)))
    # The same day as a birthday and as an anniversary are two dates; neither doubled.
    assert dates == [("anniversary", 10, 1), ("birthday", 10, 1)]


def test_wechat_exports_skip_group_chats_and_read_the_type_as_a_kind(db, tmp_path: Path) -> None:
    report = import_file(db, CORPUS / "wechat-contacts.csv")
    assert report.mapping["类型"] == "kind" and report.mapping["显示名称"] == "name"
    group, account = report.left_out
    assert (group.line, group.value, group.key) == (4, "华东经销商群", "io.row.group_chat")
    # An official account is no customer either: skipped, with no first call booked.
    assert (account.line, account.value, account.key) == (5, "某某物流服务号", "io.row.official_account")
    people = _people(db)
    assert list(people) == ["许总", "小谢"]
    xu = people["许总"]
    assert (xu.wechat, xu.tags, xu.disc) == ("xu_wz1978", ["客户", "温州"], None)
    # 许总-温州鞋业 with no company column: the name and the company, split at the dash.
    assert xu.company == "温州鞋业"
    # 中国 浙江 温州 is the city 温州.
    assert (xu.city, people["小谢"].city) == ("温州", "南京")
    # The WeChat nickname is no form of address: in the notes, not 称呼.
    assert xu.honorific == "" and "昵称：Ocean" in xu.notes.splitlines()
    assert "类型" not in xu.notes  # a friend is what everybody in the list is
    # 小谢's nickname is the name shown: nothing new to note.
    assert (people["小谢"].honorific, people["小谢"].notes) == ("", "用户名：wxid_a1b2c3d4e5f6")

    second = tmp_path / "second.db"
    from kequ.storage.database import open_database

    other = open_database(str(second))
    report = import_file(other, CORPUS / "wechat-contacts.xlsx")
    assert [(e.line, e.value) for e in report.left_out] == [(4, "苏南客户交流群")]
    people = _people(other)
    lv = people["吕工-常熟"]
    # 常熟 is a place, not a company: the split is not clear, so the name stays whole.
    assert (lv.wechat, lv.company, lv.city) == ("lvgong_cs", "", "苏州")
    assert people["Grace"].notes == "类型：企业客户" and people["Grace"].city == "上海"


def test_an_official_account_is_known_by_its_id_without_a_type_column(db, tmp_path: Path) -> None:
    rows = [["显示名称", "微信号"], ["某某物流服务号", "gh_1234567890ab"], ["gh_的小王", "gh_wang"]]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows))
    assert [(e.line, e.key) for e in report.left_out] == [(2, "io.row.official_account")]
    # gh_wang is no account id (gh_ and twelve hex digits): a person.
    assert list(_people(db)) == ["gh_的小王"]


@pytest.mark.parametrize(
    ("region", "city", "district"),
    [
        ("中国 浙江 温州", "温州", ""),
        ("江苏 苏州", "苏州", ""),
        ("中国 北京 朝阳", "北京", "朝阳"),
        ("北京 朝阳", "北京", "朝阳"),
        ("中国 香港", "香港", ""),
        ("中国 浙江", "浙江", ""),
        ("美国 加利福尼亚 旧金山", "旧金山", ""),
        ("Hong Kong", "Hong Kong", ""),
        ("温州", "温州", ""),
        ("温州 鹿城", "温州 鹿城", ""),  # no country, no province: not guessed at
    ],
)
def test_a_region_written_country_first_keeps_its_city(
    db, tmp_path: Path, region: str, city: str, district: str
) -> None:
    import_file(db, excel_csv(tmp_path / "c.csv", [["姓名", "地区"], ["许总", region]]))
    (xu,) = _people(db).values()
    assert (xu.city, xu.district) == (city, district)


@pytest.mark.parametrize(
    ("name", "company", "kept_name", "kept_company"),
    [
        ("许总-温州鞋业", "", "许总", "温州鞋业"),
        ("王经理－苏州恒瑞精密机械有限公司", "", "王经理", "苏州恒瑞精密机械有限公司"),
        ("许总-温州鞋业", "温州鞋业集团", "许总-温州鞋业", "温州鞋业集团"),  # a company said: left alone
        ("吕工-常熟", "", "吕工-常熟", ""),  # a place, not a company
        ("许总-温州-鞋业", "", "许总-温州-鞋业", ""),  # two dashes: not clear
        ("Jean-Luc", "", "Jean-Luc", ""),
    ],
)
def test_a_name_dash_company_is_split_only_when_clear(
    db, tmp_path: Path, name: str, company: str, kept_name: str, kept_company: str
) -> None:
    import_file(db, excel_csv(tmp_path / "c.csv", [["姓名", "公司"], [name, company]]))
    (person,) = _people(db).values()
    assert (person.name, person.company) == (kept_name, kept_company)


def test_a_type_column_of_personality_types_stays_one(db, tmp_path: Path) -> None:
    rows = [["姓名", "类型"], ["王建国", "力量型"], ["李娜", "I"], ["张伟", ""]]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows))
    assert report.mapping["类型"] == "disc" and [c.disc for c in _people(db).values()] == ["D", "I", None]
    # Other words under 类型: kept in the notes, never a refusal.
    rows = [["姓名", "类型"], ["赵敏", "经销商"], ["钱海燕", "终端客户"]]
    report = import_file(db, excel_csv(tmp_path / "d.csv", rows))
    assert report.to_notes == ["类型"] and report.added == 2 and report.warnings == []
    assert _people(db)["赵敏"].notes == "类型：经销商"


# ---------------------------------------------------------------------- kequ → kequ


def _full_customer(db) -> int:
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer, add_date

    cid = add_customer(
        db,
        NewCustomer(
            name="欧阳娜娜",
            honorific="欧阳总",
            company="深圳前海星河投资有限公司",
            title="合伙人",
            phones=("13926667788", "0755-26881234 转808", "+852 9123 4567"),
            wechat="oyang_sz",
            email="oyang@xinghe.example",
            city="深圳",
            tier="key",
            disc="D",
            tags=("VIP", "华东,华南", '说"好"的'),
            notes="=SUM(A1:A2)\n第二行 +86 不是公式",
            gender="female",
        ),
    )
    conn = sqlite3.connect(db.path)
    with conn:
        conn.execute(
            "UPDATE customer SET district = ?, address = ?, source = ?, interests = ? WHERE id = ?",
            ("南山区", "科技园 1 号", "转介绍", "高尔夫，红酒", cid),
        )
    conn.close()
    add_date(db, cid, "1982-06-14", lunar=False)
    add_date(db, cid, "闰四月初五", lunar=True)
    return cid


SHEET_COLUMNS = (
    "name", "honorific", "company", "title", "phones", "wechat", "email", "city", "district", "address",
    "tier", "disc", "gender", "tags", "notes", "source", "interests",
)  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_kequ_sheet_imports_back_with_every_field_it_carries(db, tmp_path: Path, fmt: str) -> None:
    from kequ.exchange.export import export_to_file
    from kequ.storage.database import open_database

    cid = _full_customer(db)
    path = Path(export_to_file(db, fmt, tmp_path / f"out.{fmt}").path)
    back = open_database(str(tmp_path / "back.db"))
    report = import_file(back, path)
    assert (report.added, report.errors, report.warnings) == (1, [], [])
    (before,) = _people(db).values()
    (after,) = _people(back).values()
    assert {c: getattr(after, c) for c in SHEET_COLUMNS} == {c: getattr(before, c) for c in SHEET_COLUMNS}
    assert after.tags == ["VIP", "华东,华南", '说"好"的']  # a tag with a comma stays one tag
    assert after.notes.startswith("=SUM(A1:A2)")
    assert sorted(_birthdays(back)[after.id], key=str) == sorted(_birthdays(db)[cid], key=str)
    assert len(_birthdays(db)[cid]) == 2


def test_a_tag_with_a_comma_survives_the_json_round_trip(db, tmp_path: Path) -> None:
    from kequ.exchange.export import export_to_file
    from kequ.storage.database import open_database

    _full_customer(db)
    path = Path(export_to_file(db, "json", tmp_path / "all.json").path)
    assert json.loads(path.read_text(encoding="utf-8"))["tables"]["customer"][0]["tags"][1] == "华东,华南"
    back = open_database(str(tmp_path / "back.db"))
    import_file(back, path)
    (after,) = _people(back).values()
    assert after.tags == ["VIP", "华东,华南", '说"好"的']


@pytest.mark.parametrize(
    "tags",
    [["VIP", "华东,华南"], ['a"b', "c"], ["我|你", "x ::: y"], ["单个"], [], ["、顿号", "；分号"]],
)
def test_tags_joined_in_one_cell_split_back_the_same(tags: list[str]) -> None:
    for separator in ("，", ", "):
        assert split_tags(join_tags(tags, separator)) == tags


def test_tags_as_people_and_other_programs_write_them() -> None:
    assert split_tags("老客户，决策人、VIP;华东") == ["老客户", "决策人", "VIP", "华东"]
    assert split_tags("客户 | 温州") == ["客户", "温州"]  # a WeChat exporter
    assert split_tags("* myContacts ::: 客户") == ["* myContacts", "客户"]  # Google; * labels dropped later
    assert split_tags('"没有收尾的引号, x') == ['"没有收尾的引号', "x"]
