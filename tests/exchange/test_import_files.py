"""Reading the files salespeople really have: Excel's GBK CSV, workbooks, phone contacts.

Each test writes its file the way the producing program does (GBK and CRLF for Excel's
"CSV (逗号分隔)", a title row above the header in a workbook, quoted-printable names and
photos in a phone export) and checks what ends up in the database, row by row.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from kequ.errors import KequError
from kequ.exchange.imports.mapping import guess_field, parse_mapping
from kequ.exchange.imports.run import import_file
from kequ.exchange.imports.sniff import detect_format
from kequ.storage.models import Customer, ImportantDate
from tests.exchange.conftest import count, excel_csv, xlsx_file

HEADER = [
    "姓名",
    "称呼",
    "公司",
    "职位",
    "手机",
    "微信",
    "邮箱",
    "城市",
    "生日",
    "农历生日",
    "等级",
    "性格",
    "标签",
    "备注",
]
WANG = ["王建国", "王总", "苏州恒瑞精密机械有限公司", "总经理", "139-1234-5678", "wangjg_sz", "wang@hr.example", "苏州",
        "1968/3/8", "", "关键", "力量型", "老客户,决策人", "喜欢喝茶，不抽烟"]  # fmt: skip
LI = ["李娜", "李姐", "上海云杉国际贸易有限公司", "采购经理", "13800138000", "", "", "上海",
      "1985/6/12", "", "重要", "活泼型", "VIP", "多行备注，带逗号\n第二行"]  # fmt: skip
ZHANG = ["张伟", "", "杭州青禾食品有限公司", "", "13757112233", "", "", "杭州", "", "八月十五", "潜力", "C", "", ""]


def _rows(db) -> list[Customer]:
    with db.session() as session:
        return list(session.exec(select(Customer).order_by(Customer.id)))


def _dates(db) -> list[ImportantDate]:
    with db.session() as session:
        return list(session.exec(select(ImportantDate).order_by(ImportantDate.id)))


# ----------------------------------------------------------------------------- CSV


def test_excel_gbk_csv_imports_every_field(db, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "客户.csv", [HEADER, WANG, LI, ZHANG])
    assert path.read_bytes().count(b"\r\n") >= 4 and b'"' in path.read_bytes()  # Excel's conventions

    report = import_file(db, path)

    assert (report.format, report.encoding) == ("csv", "gb18030")
    assert (report.rows, report.added, report.errors) == (3, 3, [])
    wang, li, zhang = _rows(db)
    assert (wang.name, wang.honorific, wang.company, wang.title) == (
        "王建国",
        "王总",
        "苏州恒瑞精密机械有限公司",
        "总经理",
    )
    assert (wang.phones, wang.wechat, wang.email, wang.city) == (
        ["139-1234-5678"],
        "wangjg_sz",
        "wang@hr.example",
        "苏州",
    )
    assert (wang.tier, wang.disc, wang.tags) == ("key", "D", ["老客户", "决策人"])
    assert (li.tier, li.disc, li.notes) == ("key", "I", "多行备注，带逗号\n第二行")
    assert (zhang.tier, zhang.disc) == ("potential", "C")
    assert wang.search_keys and "wjg" in wang.search_keys  # computed per row, so search finds them
    birthdays = {(d.customer_id, d.month, d.day, d.lunar, d.year) for d in _dates(db)}
    assert birthdays == {(wang.id, 3, 8, False, 1968), (li.id, 6, 12, False, 1985), (zhang.id, 8, 15, True, None)}


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("utf-16-le", codecs.BOM_UTF16_LE)],
)
def test_encodings_are_detected(db, tmp_path: Path, encoding: str, prefix: bytes) -> None:
    delimiter = "\t" if encoding.startswith("utf-16") else ","  # Excel's "Unicode text" uses tabs
    text = "\r\n".join(delimiter.join(row) for row in [["姓名", "城市"], ["欧阳娜娜", "深圳"], ["赵敏😀", "宁波"]])
    path = tmp_path / "c.csv"
    path.write_bytes(prefix + text.encode(encoding))
    report = import_file(db, path)
    assert report.added == 2
    assert [(c.name, c.city) for c in _rows(db)] == [("欧阳娜娜", "深圳"), ("赵敏😀", "宁波")]


def test_impossible_dates_are_kept_in_the_notes_with_line_column_and_reason(db, tmp_path: Path) -> None:
    rows = [
        HEADER,
        WANG,
        ["有备注的人", "", "", "", "", "", "", "", "", "", "", "", "", "第一行\n第二行\n第三行"],
        ["陈静", "", "", "", "13602223344", "", "", "", "1990-02-30", "", "", "", "", ""],
        ["周杰", "", "", "", "", "", "", "", "", "农历十三月初一", "", "", "", ""],
        ["吴磊", "", "", "", "", "", "", "", "", "", "VIP客户等级", "E", "", ""],
    ]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows))

    # One unreadable field never refuses a contact: it is a warning, and the text is in the notes.
    assert (report.added, report.rejected_rows, report.warned_rows) == (5, 0, 3)
    by_line = {(e.line, e.column): e for e in report.warnings}
    # Line numbers are the file's own: the three-line note above pushes 陈静 to line 6.
    assert by_line[(6, "生日")].value == "1990-02-30" and "30" in by_line[(6, "生日")].reason
    assert by_line[(6, "生日")].key == "date.solar_no_such_day"
    assert by_line[(7, "农历生日")].key == "date.month_out_of_range" and "13" in by_line[(7, "农历生日")].reason
    assert {(e.column, e.key) for e in report.warnings if e.line == 8} == {
        ("等级", "io.row.bad_tier"),
        ("性格", "io.row.bad_disc"),
    }
    notes = {c.name: c.notes for c in _rows(db)}
    assert notes["陈静"] == "导入时未能识别：生日 1990-02-30"
    assert notes["吴磊"] == "导入时未能识别：等级 VIP客户等级；性格 E"
    assert not [d for d in _dates(db) if d.month == 2 and d.day == 30]


def test_error_report_can_be_fixed_and_imported_again(db, tmp_path: Path) -> None:
    rows = [HEADER, WANG, ["陈静", "陈经理", "广州南粤", "", "13602223344", "", "", "广州", "1990-02-30"] + [""] * 5]
    target = tmp_path / "错误.csv"
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows), report_path=target)

    assert report.report_file == str(target)
    raw = target.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and b"\r\n" in raw
    assert target.stat().st_mode & 0o777 == 0o600
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("原行号,导入错误,导入提示,姓名,称呼,公司")
    # Imported with a warning: the refusals column is empty, the warnings column says why.
    assert lines[1].startswith("3,,") and "生日 1990-02-30：2月没有30号" in lines[1]
    assert len(lines) == 2

    fixed = target.read_text(encoding="utf-8-sig").replace("1990-02-30", "1990-02-28")
    target.write_text(fixed, encoding="utf-8-sig")
    again = import_file(db, target, on_duplicate="merge")
    assert (again.added, again.merged, again.errors, again.warnings) == (0, 1, [], [])
    assert "原行号" not in again.mapping or again.mapping["原行号"] == "-"
    chen = next(c for c in _rows(db) if c.name == "陈静")
    assert (chen.honorific, chen.company, chen.city) == ("陈经理", "广州南粤", "广州")
    assert "导入错误" not in chen.notes and "导入提示" not in chen.notes  # our own report columns are not data
    assert [(d.month, d.day, d.year) for d in _dates(db) if d.customer_id == chen.id] == [(2, 28, 1990)]


def test_dry_run_checks_everything_and_writes_nothing(db, tmp_path: Path) -> None:
    path = excel_csv(
        tmp_path / "c.csv", [HEADER, WANG, LI, ["", "", "", "", "", "", "", "苏州", "", "", "", "", "", ""]]
    )
    before = hashlib.sha256(db.path.read_bytes()).hexdigest()

    report = import_file(db, path, dry_run=True)

    assert (report.dry_run, report.added, report.rejected_rows) == (True, 2, 1)
    assert report.errors[0].key == "input.empty_name"
    assert count(db.path) == 0
    assert hashlib.sha256(db.path.read_bytes()).hexdigest() == before
    assert not (db.path.parent / "backups").exists() or not any((db.path.parent / "backups").iterdir())
    assert report.customer_ids == []


def test_formulas_control_characters_and_emoji(db, tmp_path: Path) -> None:
    rows = [
        ["姓名", "公司", "手机", "备注"],
        ["公式客户", '=HYPERLINK("http://evil.example","点我")', "", ""],
        ["DDE客户", "", "", "-2+3+cmd|' /C calc'!A0"],
        ["李\x1b[31m娜\x07", "'=不是公式", "+86 138 0013 8000", "- 第一条\n- 第二条 🎉"],
    ]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows, encoding="utf-8"))

    assert [(e.line, e.column, e.key) for e in report.warnings] == [
        (2, "公司", "io.row.formula"),
        (3, "备注", "io.row.formula"),
    ]
    formula, dde, li = _rows(db)
    assert formula.company == "" and formula.notes.startswith("导入时未能识别：公司 =HYPERLINK(")
    assert dde.notes == "导入时未能识别：备注 -2+3+cmd|' /C calc'!A0"
    assert "\x1b" not in li.name and "\x07" not in li.name
    assert li.company == "=不是公式"  # quoted by a spreadsheet: text, kept as typed
    assert li.phones == ["+86 138 0013 8000"]
    assert li.notes == "- 第一条\n- 第二条 🎉"


def test_phone_numbers_excel_turned_into_scientific_notation_are_named(db, tmp_path: Path) -> None:
    report = import_file(db, excel_csv(tmp_path / "c.csv", [["姓名", "手机"], ["王", "1.38001E+10"]]))
    assert report.warnings[0].key == "io.row.phone_scientific" and report.added == 1
    assert _rows(db)[0].notes == "导入时未能识别：手机 1.38001E+10"


def test_unknown_columns_are_kept_in_the_notes_and_counters_ignored(db, tmp_path: Path) -> None:
    rows = [
        ["序号", "客户名称", "联系人", "QQ", "手机1", "手机2", "备注"],
        ["1", "恒瑞机械", "王建国", "12345", "13912345678", "0512-1234567", "老朋友"],
    ]
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows))
    (wang,) = _rows(db)
    # 客户名称 beside 联系人 names the company; both phone columns feed the phones.
    assert (wang.name, wang.company) == ("王建国", "恒瑞机械")
    assert wang.phones == ["13912345678", "0512-1234567"]
    assert wang.notes == "老朋友\nQQ：12345"
    assert report.to_notes == ["QQ"] and report.mapping["序号"] == "-"


def test_headers_are_guessed_in_chinese_and_english() -> None:
    guesses = {
        "姓名": "name", "名字": "name", "Name": "name", "称呼": "honorific", "单位": "company",
        "Company": "company", "职务": "title", "手机号码": "phones", "电话(办公)": "phones", "Mobile": "phones",
        "微信号": "wechat", "E-mail": "email", "邮箱": "email", "地区": "city", "生日": "birthday",
        "农历生日": "lunar_birthday", "级别": "tier", "类型": "disc", "标签": "tags", "备注": "notes",
        "*姓名:": "name", "手机 2": "phones",
    }  # fmt: skip
    assert {header: guess_field(header) for header in guesses} == guesses
    assert guess_field("QQ") is None


def test_explicit_mapping_wins_and_bad_mappings_are_explained(db, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "c.csv", [["人", "号", "Q"], ["王建国", "13912345678", "1"]])
    with pytest.raises(KequError) as missing:
        import_file(db, path)
    assert missing.value.key == "io.file.no_name_column" and "人、号、Q" in str(missing.value)

    report = import_file(db, path, mapping=parse_mapping("人=name，号=手机,Q=-"))
    assert report.added == 1
    assert _rows(db)[0].phones == ["13912345678"] and _rows(db)[0].notes == ""

    with pytest.raises(KequError, match=r"没有「年龄」"):
        parse_mapping("人=年龄")
    with pytest.raises(KequError) as unknown:
        import_file(db, path, mapping={"客户": "name"})
    assert unknown.value.key == "io.mapping.unknown_column"


# ---------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "io.file.empty"),
        (codecs.BOM_UTF8 + b"\r\n\r\n", "io.file.empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "io.file.binary"),
        (bytes(range(256)) * 40, "io.file.binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "io.file.old_excel"),
        (b"SQLite format 3\x00" + b"\x00" * 600, "io.file.is_database"),
        ("姓名,城市\r\n".encode() + b"\xff\xfe\xfa\xfb\x80\x80\r\n", "io.file.unknown_encoding"),
        ("姓名,城市\r\n".encode("gbk"), "io.file.no_rows"),
        ("标题\r\n甲,乙\r\n".encode("gbk"), "io.file.no_name_column"),
        (b'name,city\r\n"unterminated\r\n' + b"x" * 200_000, "io.file.csv_broken"),
    ],
)
def test_bad_files_are_refused_whole_with_a_clear_key(db, tmp_path: Path, content: bytes, key: str) -> None:
    path = tmp_path / "客户.csv"
    path.write_bytes(content)
    with pytest.raises(KequError) as refused:
        import_file(db, path)
    assert refused.value.key == key
    assert str(refused.value) != key  # a real sentence in the catalogue
    assert count(db.path) == 0


def test_encoding_that_changes_half_way_refuses_the_whole_file(db, tmp_path: Path) -> None:
    # UTF-8 for well past the sniffed sample, then a GBK line: two files pasted together.
    lines = ["姓名,城市"] + [f"客户{i},苏州" for i in range(8000)]
    path = tmp_path / "c.csv"
    path.write_bytes("\r\n".join(lines).encode() + "\r\n王建国,无锡\r\n".encode("gbk"))
    with pytest.raises(KequError) as refused:
        import_file(db, path)
    assert refused.value.key == "io.file.mixed_encoding" and refused.value.params["line"] > 8000
    assert count(db.path) == 0  # never a partial import


def test_missing_file_and_folder(db, tmp_path: Path) -> None:
    with pytest.raises(KequError, match=r"找不到文件"):
        import_file(db, tmp_path / "nope.csv")
    with pytest.raises(KequError) as folder:
        import_file(db, tmp_path)
    assert folder.value.key == "io.file.is_folder"


def test_a_workbook_renamed_csv_is_read_as_a_workbook(db, tmp_path: Path) -> None:
    path = xlsx_file(tmp_path / "book.xlsx", [["姓名", "城市"], ["王建国", "苏州"]])
    renamed = path.rename(tmp_path / "book.csv")
    assert detect_format(renamed) == ("xlsx", None)
    assert import_file(db, renamed).added == 1


# ---------------------------------------------------------------------------- XLSX


def test_xlsx_with_title_row_numbers_and_real_dates(db, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["王建国", "王总", "恒瑞", "总经理", 13912345678, "", "", "苏州", datetime(1968, 3, 8), "", "A", "D", "", ""],
        [None] * 14,  # a blank row in the middle
        ["欧阳娜娜", "", "星河", "", 13926667788.0, "", "", "", "", "1982年闰四月初五", "临时", "", "", ""],
        ["坏日期", "", "", "", "", "", "", "", "1990-02-30", "", "", "", "", ""],
    ]
    path = xlsx_file(tmp_path / "客户.xlsx", rows, title="2024 年客户名单（销售一部）")

    report = import_file(db, path)

    assert (report.format, report.added) == ("xlsx", 3)
    assert [(e.line, e.column) for e in report.warnings] == [(6, "生日")]  # row numbers as Excel shows them
    wang, ouyang, _ = _rows(db)
    assert wang.phones == ["13912345678"] and ouyang.phones == ["13926667788"]
    assert (wang.tier, ouyang.tier) == ("key", "temporary")
    dates = {(d.customer_id, d.month, d.day, d.lunar, d.leap, d.year) for d in _dates(db)}
    assert dates == {(wang.id, 3, 8, False, False, 1968), (ouyang.id, 4, 5, True, True, 1982)}


def test_a_broken_workbook_is_refused(db, tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 300)
    with pytest.raises(KequError) as refused:
        import_file(db, path)
    assert refused.value.key == "io.file.xlsx_broken"


# ---------------------------------------------------------------------------- vCard


def _photo() -> str:
    data = base64.b64encode(bytes(range(256)) * 8).decode()
    return "\r\n ".join(data[i : i + 74] for i in range(0, len(data), 74))


IPHONE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=AD=99;=E4=B8=BD=E5=8D=8E;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=AD=99=E4=B8=BD=E5=8D=8E\r\n"
    "ORG:无锡华联电子科技有限公司;市场部\r\nTITLE:市场总监\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:139 0510 1234\r\nTEL;type=WORK;type=VOICE:0510-8123 4567\r\n"
    "item1.TEL:+86 137 7001 2233\r\nEMAIL;type=INTERNET;type=WORK:sun@hualian.example\r\n"
    "BDAY:1985-06-12\r\n"
    "NOTE:去年年会上认识，对自动化设备感兴趣。下次拜访带上新产品目录和价格表，顺便聊\r\n 聊明年的框架协议。\r\n"
    f"PHOTO;ENCODING=b;TYPE=JPEG:{_photo()}\r\n"
    "END:VCARD\r\n"
)
APPLE_NO_YEAR = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:周建华\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-09-18\r\nEND:VCARD\r\n"
ANDROID_21 = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=AC=A7=E9=98=B3;=E5=A8=9C=E5=A8=9C;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=AC=A7=E9=98=B3=E5=A8=9C=\r\n=E5=A8=9C\r\n"
    "TEL;CELL:139-2666-7788\r\nTEL;HOME:0755-8888 6666\r\nEND:VCARD\r\n"
)
VCARD4 = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:张三\r\nTEL;VALUE=uri;TYPE=cell:tel:+86-139-0000-2222\r\n"
    "BDAY:--0612\r\nEND:VCARD\r\n"
)
NAMELESS = "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=CELL:13000000000\r\nEND:VCARD\r\n"


def test_phone_contacts_export(db, tmp_path: Path) -> None:
    path = tmp_path / "通讯录.vcf"
    path.write_bytes((IPHONE + ANDROID_21 + APPLE_NO_YEAR + VCARD4 + NAMELESS).encode())

    report = import_file(db, path)

    assert (report.format, report.rows, report.added, report.errors) == ("vcf", 5, 5, [])
    (warning,) = report.warnings  # the card with only a phone is named after it
    assert (
        warning.key == "io.row.named_from"
        and warning.line
        == IPHONE.count("\r\n") + ANDROID_21.count("\r\n") + APPLE_NO_YEAR.count("\r\n") + VCARD4.count("\r\n") + 1
    )
    sun, ouyang, zhou, zhang, nameless = _rows(db)
    assert (nameless.name, nameless.phones) == ("13000000000", ["13000000000"])
    assert (sun.name, sun.company, sun.title, sun.email) == (
        "孙丽华",
        "无锡华联电子科技有限公司",
        "市场总监",
        "sun@hualian.example",
    )
    assert sun.phones == ["139 0510 1234", "0510-8123 4567", "+86 137 7001 2233"]
    assert (
        sun.notes
        == "去年年会上认识，对自动化设备感兴趣。下次拜访带上新产品目录和价格表，顺便聊聊明年的框架协议。\nORG：市场部"
    )
    assert ouyang.name == "欧阳娜娜"  # the quoted-printable soft line break was joined
    assert ouyang.phones == ["139-2666-7788", "0755-8888 6666"]
    assert zhang.phones == ["+86-139-0000-2222"]
    dates = {(d.customer_id, d.month, d.day, d.year) for d in _dates(db)}
    assert dates == {(sun.id, 6, 12, 1985), (zhou.id, 9, 18, None), (zhang.id, 6, 12, None)}


def test_a_broken_line_costs_only_itself_and_is_kept_in_the_notes(db, tmp_path: Path) -> None:
    broken = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:坏名片\r\nthis line is no property\r\nEND:VCARD\r\n"
    path = tmp_path / "c.vcf"
    path.write_bytes((broken + VCARD4).encode())
    report = import_file(db, path)
    assert (report.added, report.errors) == (2, [])
    first, _ = _rows(db)
    assert first.name == "坏名片" and "this line is no property" in first.notes


def test_a_vcf_without_cards_is_refused(db, tmp_path: Path) -> None:
    path = tmp_path / "c.vcf"
    path.write_text("姓名,城市\n王,苏州\n", encoding="utf-8")
    with pytest.raises(KequError) as refused:
        import_file(db, path)
    assert refused.value.key == "io.file.no_cards"


def test_progress_is_reported_for_bigger_files(db, tmp_path: Path) -> None:
    rows = [["姓名", "手机"]] + [[f"客户{i}", f"139{i:08d}"] for i in range(2500)]
    seen: list[tuple[str, int, int | None]] = []
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows), progress=lambda *a: seen.append(a))
    assert report.added == 2500 and count(db.path) == 2500
    assert {phase for phase, _, _ in seen} == {"read", "write"}
    assert seen[-1][0] == "write" and seen[-1][1] == 2500


def test_the_rich_progress_bar_takes_the_callbacks(db, tmp_path: Path) -> None:
    from kequ.cli.io import _Bar

    rows = [["姓名", "手机"]] + [[f"客户{i}", f"139{i:08d}"] for i in range(1200)]
    with _Bar() as bar:
        report = import_file(db, excel_csv(tmp_path / "c.csv", rows), progress=bar)
    assert report.added == 1200


def test_two_columns_with_one_name_both_reach_notes_and_report(db, tmp_path: Path) -> None:
    rows = [["姓名", "备注", "备注", "生日"], ["王建国", "爱喝茶", "不抽烟", "1990-02-30"], ["李娜", "甲", "乙", ""]]
    target = tmp_path / "report.csv"
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows), report_path=target)
    assert [r.notes for r in _rows(db)] == ["爱喝茶\n不抽烟\n导入时未能识别：生日 1990-02-30", "甲\n乙"]
    header, line = target.read_text(encoding="utf-8-sig").splitlines()
    assert header == "原行号,导入错误,导入提示,姓名,备注,备注(3),生日" and "爱喝茶,不抽烟" in line
    assert (report.rejected_rows, report.warned_rows) == (0, 1)


def test_a_gender_column_is_read_and_a_wrong_one_named(db, tmp_path: Path) -> None:
    rows = [
        ["姓名", "称呼", "性别"],
        ["王建国", "王总", "男"],
        ["李娜", "李姐", ""],  # not said: stored as not said, guessed from 李姐 where it matters
        ["张敏", "张总", "F"],
        ["陈静", "", "未知的"],
    ]
    assert guess_field("性别") == "gender" and guess_field("Gender") == "gender"
    report = import_file(db, excel_csv(tmp_path / "c.csv", rows))
    assert (report.added, report.rejected_rows) == (4, 0)
    assert {(e.line, e.column, e.key) for e in report.warnings} == {(5, "性别", "input.bad_gender")}
    assert [(r.name, r.gender) for r in _rows(db)] == [
        ("王建国", "male"),
        ("李娜", None),
        ("张敏", "female"),
        ("陈静", None),
    ]
    assert _rows(db)[3].notes == "导入时未能识别：性别 未知的"
