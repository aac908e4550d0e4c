"""Write the sample files in this folder, the way the programs salespeople use write them.

    python data/make_samples.py

* customers-gbk.csv: what Excel on Chinese Windows saves as "CSV (逗号分隔)": GBK, CRLF,
  quotes only where needed, dates as 1985/6/12. It holds one impossible date (1990-02-30)
  and one repeated phone, so ``kequ import --dry-run`` shows a row error and a duplicate.
* customers.xlsx: a workbook with a title row above the Chinese header, phone numbers
  stored as numbers and birthdays as real Excel dates.
* contacts.vcf: a phone's contact export (vCard 3.0): names in quoted-printable UTF-8,
  folded lines, several numbers per person, a photo, a year-less birthday.
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent

HEADER = ["姓名", "称呼", "公司", "职位", "手机", "微信", "邮箱",
          "城市", "生日", "农历生日", "等级", "性格", "标签", "备注"]  # fmt: skip
ROWS = [
    ["王建国", "王总", "苏州恒瑞精密机械有限公司", "总经理", "13912345678", "wangjg_sz", "wang@hengrui.example", "苏州",
     "1968/3/8", "", "关键", "力量型", "老客户,决策人", "喜欢喝茶，不抽烟"],
    ["李娜", "李姐", "上海云杉国际贸易有限公司", "采购经理", "13800138000", "", "lina@yunshan.example", "上海",
     "1985/6/12", "", "重要", "活泼型", "VIP", "女儿今年高考"],
    ["张伟", "张工", "杭州青禾食品有限公司", "技术主管", "13757112233", "zhangwei88", "", "杭州",
     "", "八月十五", "潜力", "完美型", "技术型", "说话要有数据"],
    ["陈静", "陈经理", "广州南粤建材有限公司", "销售经理", "13602223344 / 020-83334455", "", "", "广州",
     "1990-02-30", "", "普通", "和平型", "", "生日写错了：示范出错的行"],
    ["刘洋", "小刘", "北京中科远望科技有限公司", "项目经理", "18611112222", "liuyang_bj", "", "北京",
     "1992/11/3", "", "C", "I", "展会", "2024 广交会认识"],
    ["欧阳娜娜", "欧阳总", "深圳前海星河投资有限公司", "合伙人", "13926667788", "", "oyang@xinghe.example", "深圳",
     "", "1982年闰四月初五", "A", "D", "转介绍", "多行备注：\n第一次见面在深圳湾\n介绍人：王总"],
    ["赵敏", "赵总", "宁波海天塑业有限公司", "副总经理", "13805749988", "", "", "宁波",
     "1975/12/25", "", "关键", "", "", "地址：宁波市北仑区，逗号, 引号\"测试\""],
    ["李娜（重复）", "", "", "", "13800138000", "", "", "",
     "", "", "", "", "", "与第 3 行手机号相同：示范重复"],
]  # fmt: skip

VCARDS = """BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iPhone OS 17.4//EN
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=AD=99;=E4=B8=BD=E5=8D=8E;;;
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=AD=99=E4=B8=BD=E5=8D=8E
ORG:无锡华联电子科技有限公司;市场部
TITLE:市场总监
TEL;type=CELL;type=VOICE;type=pref:139 0510 1234
TEL;type=WORK;type=VOICE:0510-8123 4567
EMAIL;type=INTERNET;type=WORK:sun@hualian.example
BDAY;X-APPLE-OMIT-YEAR=1604:1604-09-18
NOTE:去年年会上认识，对自动化设备感兴趣。下次拜访带上新产品目录和价格表，顺便聊
 聊明年的框架协议。
PHOTO;ENCODING=b;TYPE=JPEG:{photo}
END:VCARD
BEGIN:VCARD
VERSION:3.0
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=91=A8;=E5=BB=BA=E5=8D=8E;;;
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=91=A8=E5=BB=BA=E5=8D=8E
TEL;TYPE=CELL:+86 137 7001 2233
TEL;TYPE=HOME:0512-6688 9900
TEL;TYPE=WORK:0512-6688 9901
ORG:苏州金桥物流有限公司
BDAY:1981-07-21
X-WECHAT:zhoujh_wl
END:VCARD
BEGIN:VCARD
VERSION:3.0
TEL;TYPE=CELL:13000000000
NOTE:只有号码、没有姓名的名片：导入时会报出这一张
END:VCARD
"""


def _photo() -> str:
    # A few hundred bytes of base64, folded as phones fold it.
    data = base64.b64encode(bytes(range(256)) * 2).decode()
    return "\r\n ".join(data[i : i + 74] for i in range(0, len(data), 74))


def write_csv() -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *ROWS])
    (HERE / "customers-gbk.csv").write_bytes(buffer.getvalue().encode("gbk"))


def write_xlsx() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(["2024 年客户名单（销售一部）"])
    sheet.append(HEADER)
    for row in ROWS[:3] + ROWS[4:7]:
        values: list[object] = list(row)
        values[4] = int(row[4].split()[0])  # Excel keeps a typed phone number as a number
        if row[8] and "-" not in row[8]:
            values[8] = datetime.strptime(row[8], "%Y/%m/%d")
        sheet.append(values)
    book.save(HERE / "customers.xlsx")


def write_vcf() -> None:
    text = VCARDS.format(photo=_photo()).replace("\r\n", "\n").replace("\n", "\r\n")
    (HERE / "contacts.vcf").write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    write_csv()
    write_xlsx()
    write_vcf()
