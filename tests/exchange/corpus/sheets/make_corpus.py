"""Writes the spreadsheet corpus the way the programs named in README.md write their files.

Run it from the repository root (``python tests/exchange/corpus/sheets/make_corpus.py``)
to write the files again; the files themselves are committed, so the tests never depend
on this script. Every person, company, number and address is made up.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _csv_text(rows: list[list[str]], *, quote_all: bool, newline: str) -> str:
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, lineterminator=newline, quoting=quoting).writerows(rows)
    return buffer.getvalue()


# ---------------------------------------------------------------- Excel and WPS, typed by a person

EXCEL_HEADER = ["姓名", "称呼", "公司", "职位", "手机", "邮箱", "生日", "标签", "备注"]
EXCEL_ROWS = [
    [
        "王建国",
        "王总",
        "苏州恒瑞精密机械有限公司",
        "总经理",
        "13912345678,6688",
        "wang@hengrui.example",
        "1968/3/8",
        "老客户，决策人",
        "",
    ],
    [
        "陈静",
        "陈经理",
        "广州南粤建材有限公司",
        "销售经理",
        "0512-66881234 转808",
        '"赵六" <zhaoliu@example.cn>',
        "0000-05-12",
        "",
        "",
    ],
    ["周强", "", "宁波海天塑业有限公司", "", "00000000000", "", "1900-01-01", "", "电话没留"],
    ["刘洋", "小刘", "", "", "0755-26881234,808", "", "29353", "展会", ""],
    ["", "", "杭州青禾食品有限公司", "", "0571-88776655 ext. 808", "", "", "", "只有公司名的一行"],
    ["", "老马", "", "", "", "", "", "", "只有昵称"],
    ["", "", "", "", "", "buyer@jinqiao.example", "", "", "只有邮箱"],
    ["孙丽华", "孙总", "无锡华联电子科技有限公司", "", "12345678901;13805101234", "", "生日不记得了", "", ""],
    ["赵敏", "", "", "", "tel:+86-512-6688-1234;ext=102", "", "1975-12-25", "", "=SUM(A1:A2)"],
]


def excel_csv_utf8() -> None:
    """Excel's "CSV UTF-8 (逗号分隔)": a BOM, CRLF, quotes only where a cell needs them."""
    text = _csv_text([EXCEL_HEADER, *EXCEL_ROWS], quote_all=False, newline="\r\n")
    (HERE / "excel-utf8-bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def excel_csv_gbk() -> None:
    """Excel on Chinese Windows, plain "CSV (逗号分隔)": the ANSI code page (GBK), CRLF."""
    rows = [["序号", *EXCEL_HEADER[:7]], *([str(i), *row[:7]] for i, row in enumerate(EXCEL_ROWS[:4], start=1))]
    text = _csv_text(rows, quote_all=False, newline="\r\n")
    (HERE / "excel-gbk.csv").write_bytes(text.encode("gbk"))


def excel_xlsx() -> None:
    """An Excel workbook: an instructions sheet in front, then the list; numbers as numbers.

    The phones were typed without a leading ' so Excel stored them as numbers (and lost the
    0 of 0512-66881234 and the + of +86 139…); one birthday is a date cell, one a General
    cell showing Excel's day number.
    """
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "填写说明"
    notes.append(["客户名单填写说明"])
    notes.append(["1. 每位客户一行，手机号请写全 11 位。"])
    notes.append(["2. 生日写成 1980-05-12 或 5月12日。"])
    sheet = book.create_sheet("客户名单")
    sheet.append(["姓名", "公司", "手机", "办公电话", "生日", "类型", "备注"])
    sheet.append(
        ["何志明", "常州天宁纺织有限公司", 13961234567, 51266881234, datetime(1980, 5, 12), "力量型", "=SUM(A1:A2)"]
    )
    sheet.append(["郑晓燕", "南京鼓楼医药有限公司", 8613912345678, 2112345678, 29353, "活泼型", ""])
    sheet.append(["冯伟", "", 912345678, "", "", "完美型", "号码可能少了位"])
    sheet["G2"].data_type = "s"  # typed as text in Excel: a note, not a formula
    book.save(HERE / "excel.xlsx")


def wps_xlsx() -> None:
    """WPS 表格: the default sheet name Sheet1, a merged title row above the header."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["2026年重点客户名单（销售二部）"])
    sheet.merge_cells("A1:F1")
    sheet.append(["客户名称", "联系人", "联系电话", "电子邮件", "出生日期", "客户等级"])
    sheet.append(["昆山玉山电子有限公司", "黄海涛", "13776543210", "huang@yushan.example", datetime(1979, 8, 3), "A"])
    sheet.append(["太仓港务物流有限公司", "", "0512-53881234", "", "", "B"])
    sheet.append(["张家港沙钢贸易有限公司", "吴一帆", "18912340000", "", "1985.10.1", "C"])
    book.save(HERE / "wps.xlsx")


# ---------------------------------------------------------------- Google Contacts

GOOGLE_HEADER = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name", "Phonetic Last Name",
    "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name", "Organization Title",
    "Organization Department", "Birthday", "Notes", "Photo", "Labels",
    "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value",
    "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value",
    "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
    "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country",
    "Address 1 - Extended Address",
]  # fmt: skip


def _google(**values: str) -> list[str]:
    return [values.get(column, "") for column in GOOGLE_HEADER]


def google_csv() -> None:
    """Google Contacts → Export → Google CSV: UTF-8 without BOM, numbered value/label columns,
    several values of one kind joined by " ::: ", birthdays without a year as --MM-DD."""
    rows = [
        GOOGLE_HEADER,
        _google(**{
            "First Name": "建国", "Last Name": "林", "Organization Name": "厦门鹭江贸易有限公司",
            "Organization Title": "采购总监", "Birthday": "--08-03", "Labels": "* myContacts ::: 客户",
            "E-mail 1 - Label": "* Work", "E-mail 1 - Value": "lin@lujiang.example",
            "Phone 1 - Label": "Mobile", "Phone 1 - Value": "+86 139 5000 1234 ::: +86 592 556 1234",
            "Address 1 - Label": "Work", "Address 1 - Formatted": "湖滨南路 88 号\n厦门",
            "Address 1 - Street": "湖滨南路 88 号",
            "Address 1 - City": "厦门",
        }),
        _google(**{
            "First Name": "Tony", "Last Name": "Leung", "Nickname": "Tony哥", "Birthday": "1976-06-27",
            "Labels": "* myContacts", "Phone 1 - Label": "Mobile", "Phone 1 - Value": "+852 9123 4567",
        }),
        _google(**{
            "First Name": "Anna", "Middle Name": "Maria", "Last Name": "Schmidt",
            "Organization Name": "Rhein Maschinen GmbH",
            "E-mail 1 - Label": "* Work", "E-mail 1 - Value": "anna@rhein.example ::: a.schmidt@mail.example",
        }),
        _google(**{
            "Organization Name": "青岛海湾化工有限公司", "Phone 1 - Label": "Work", "Phone 1 - Value": "0532-86881234",
        }),
    ]  # fmt: skip
    (HERE / "google-contacts.csv").write_bytes(_csv_text(rows, quote_all=False, newline="\r\n").encode("utf-8"))


# ---------------------------------------------------------------- Outlook (Chinese)

OUTLOOK_HEADER = """
英文称谓,名,中间名,姓,称谓,单位,部门,职务,商务地址 街道,商务地址 街道 2,
商务地址 街道 3,商务地址 市/县,商务地址 省/市/自治区,商务地址 邮政编码,
商务地址 国家/地区,住宅地址 街道,住宅地址 街道 2,住宅地址 街道 3,住宅地址 市/县,
住宅地址 省/市/自治区,住宅地址 邮政编码,住宅地址 国家/地区,其他地址 街道,
其他地址 街道 2,其他地址 街道 3,其他地址 市/县,其他地址 省/市/自治区,
其他地址 邮政编码,其他地址 国家/地区,助理的电话,商务传真,商务电话,商务电话 2,回电话,
车载电话,单位主要电话,住宅传真,住宅电话,住宅电话 2,ISDN,移动电话,其他传真,其他电话,
寻呼机,主要电话,无绳电话,TTY/TDD 电话,电报,Internet 忙闲,办公地点,地点,
电子邮件地址,电子邮件类型,电子邮件显示名称,电子邮件 2 地址,电子邮件 2 类型,
电子邮件 2 显示名,电子邮件 3 地址,电子邮件 3 类型,电子邮件 3 显示名,附注,
工作证号码,关键词,记帐信息,纪念日,经理姓名,类别,里程,敏感度,目录服务器,配偶,
其他地址 - 邮箱,商务地址 - 邮箱,身份证编号,生日,私有,缩写,网页,性别,业余爱好,引用者,
用户 1,用户 2,用户 3,用户 4,优先级,语言,帐户,职业,助理的姓名,住宅地址 - 邮箱,
子女
""".replace("\n", "").split(",")


def _outlook(**values: str) -> list[str]:
    # What Outlook writes in the columns nobody filled: no birthday, no gender, normal priority.
    defaults = {
        "纪念日": "0/0/00",
        "生日": "0/0/00",
        "敏感度": "普通",
        "私有": "False",
        "性别": "未指定",
        "优先级": "普通",
    }
    return [values.get(column, defaults.get(column, "")) for column in OUTLOOK_HEADER]


def outlook_csv() -> None:
    """Outlook (Chinese) → 导出 → 逗号分隔值: GBK, CRLF, every field in quotes, 0/0/00 for no date."""
    rows = [
        OUTLOOK_HEADER,
        _outlook(**{
            "名": "海燕", "姓": "钱", "单位": "合肥巢湖机电有限公司", "职务": "财务经理", "移动电话": "13855123456",
            "商务电话": "0551-62881234", "电子邮件地址": "qian@chaohu.example", "电子邮件类型": "SMTP",
            "电子邮件显示名称": "钱海燕 (qian@chaohu.example)", "生日": "1983/4/9", "类别": "重点客户", "性别": "女",
            "附注": "喜欢打羽毛球",
        }),
        _outlook(**{"名": "David", "姓": "Chen", "单位": "Pacific Trading Ltd", "移动电话": "+852 6123 4567"}),
        _outlook(**{"单位": "芜湖长江船舶配件厂", "商务电话": "0553-3881234"}),
    ]  # fmt: skip
    (HERE / "outlook-zh-cn.csv").write_bytes(_csv_text(rows, quote_all=True, newline="\r\n").encode("gbk"))


# ---------------------------------------------------------------- WeChat exporters


def wechat_csv() -> None:
    """A WeChat contacts exporter's CSV: a BOM, LF, every field quoted, labels joined " | ",
    a 类型 column saying 好友 / 群聊 / 公众号; a group's 用户名 ends in @chatroom."""
    rows = [
        ["用户名", "显示名称", "备注", "昵称", "微信号", "标签", "描述", "个性签名", "地区", "类型"],
        ["wxid_k3j9s8d7f6g5", "许总-温州鞋业", "许总-温州鞋业", "Ocean", "xu_wz1978", "客户 | 温州", "",
         "做鞋三十年", "中国 浙江 温州", "好友"],
        ["wxid_a1b2c3d4e5f6", "小谢", "", "小谢", "", "", "", "", "中国 江苏 南京", "好友"],
        ["20011234567@chatroom", "华东经销商群", "", "", "", "", "", "", "", "群聊"],
        ["gh_1234567890ab", "某某物流服务号", "", "某某物流服务号", "", "", "", "", "", "公众号"],
    ]  # fmt: skip
    text = _csv_text(rows, quote_all=True, newline="\n")
    (HERE / "wechat-contacts.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def wechat_xlsx() -> None:
    """A WeChat customer-management tool's Excel list: 备注名, 昵称, 显示名称, 微信号, 类型."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "通讯录"
    sheet.append(["备注名", "昵称", "显示名称", "微信号", "类型", "性别", "地区"])
    sheet.append(["吕工-常熟", "lvgong", "吕工-常熟", "lvgong_cs", "好友", "男", "江苏 苏州"])
    sheet.append(["", "Grace", "Grace", "grace_sh", "企业客户", "女", "上海"])
    sheet.append(["", "", "苏南客户交流群", "", "群聊", "", ""])
    book.save(HERE / "wechat-contacts.xlsx")


if __name__ == "__main__":
    for make in (excel_csv_utf8, excel_csv_gbk, excel_xlsx, wps_xlsx, google_csv, outlook_csv, wechat_csv, wechat_xlsx):
        make()
