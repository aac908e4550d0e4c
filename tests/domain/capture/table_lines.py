"""Whole lines as salespeople type them between two visits: (said on, text, what is saved).

What is saved, in short: ``who=1`` the customer (``1|2`` two named: asked; ``-`` none);
``log=call@2026-11-23`` the contact that happened (``-`` only a note); ``next=visit@2026-12-02``
the next step, with `` 15:00`` its time (``|`` between readings that are asked);
``!vague`` and the like: what was not understood, said to the user.
"""

from __future__ import annotations

MON = "2026-11-23"
WED = "2026-11-25"
SUN = "2026-11-29"
FRI = "2026-11-20"

# id, name, 称呼
BOOK = [
    (1, "王建国", "王总"),
    (2, "李丽", "李姐"),
    (3, "陈明", "陈总"),
    (4, "陈刚", "陈总"),
    (5, "曾强", "曾经理"),
    (6, "张伟", "张经理"),
    (7, "刘洋", "小刘"),
    (8, "赵敏", "赵总"),
]

LINE_ROWS: list[tuple[str, str, str]] = [
    # --- the issue's own examples
    (MON, "下周三回访王总，带样品", "who=1 log=- next=visit@2026-12-02"),
    (MON, "今天电话里李姐说要样品，下周三上门", "who=2 log=call@2026-11-23 next=visit@2026-12-02"),
    # --- what happened
    (MON, "打了电话给王总，下周三再约", "who=1 log=call@2026-11-23 next=visit@2026-12-02"),
    (MON, "拜访了王总，吃了饭，下周一打给他", "who=1 log=visit@2026-11-23 next=call@2026-11-30"),
    (MON, "昨天请王总吃了饭", "who=1 log=visit@2026-11-22 next=-"),
    (MON, "周五见了王总", "who=1 log=visit@2026-11-20 next=-"),
    (MON, "上周三见了王总", "who=1 log=visit@2026-11-18 next=-"),
    (MON, "前天给王总打了电话", "who=1 log=call@2026-11-21 next=-"),
    (MON, "王总 发了微信", "who=1 log=message@2026-11-23 next=-"),
    (MON, "送了王总两盒茶叶", "who=1 log=gift@2026-11-23 next=-"),
    (MON, "王总生日送了花", "who=1 log=gift@2026-11-23 next=-"),
    (MON, "跟王总通话半小时", "who=1 log=call@2026-11-23 next=-"),
    (MON, "王总来电问价格", "who=1 log=call@2026-11-23 next=-"),
    (MON, "今天电话王总", "who=1 log=call@2026-11-23 next=-"),
    (MON, "王总 1号楼 3层 见了", "who=1 log=visit@2026-11-23 next=-"),
    (MON, "去了王总公司，看了车间", "who=1 log=visit@2026-11-23 next=-"),
    (MON, "王总上门了，谈得不错", "who=1 log=visit@2026-11-23 next=-"),
    (MON, "王总邮件里说要改合同", "who=1 log=email@2026-11-23 next=-"),
    (MON, "收到王总的邮件", "who=1 log=email@2026-11-23 next=-"),
    (MON, "给李姐发了短信", "who=2 log=message@2026-11-23 next=-"),
    (WED, "周一见了王总", "who=1 log=visit@2026-11-23 next=-"),
    (MON, "周一见了王总", "who=1 log=visit@2026-11-23 next=-"),
    # --- only a note
    (MON, "王总说价格太高", "who=1 log=- next=-"),
    (MON, "李姐说便宜一点就签", "who=2 log=- next=-"),
    (MON, "王总", "who=1 log=- next=-"),
    (MON, "王总：报价3.5万，对方嫌贵", "who=1 log=- next=-"),
    # --- what comes next, and when
    (MON, "明天给王总送样品", "who=1 log=- next=gift@2026-11-24"),
    (MON, "王总 下周再跟进", "who=1 log=- next=call@2026-11-30"),
    (MON, "王总 大后天上门", "who=1 log=- next=visit@2026-11-26"),
    (MON, "王总 两周后回访", "who=1 log=- next=visit@2026-12-07"),
    (MON, "王总 半个月后再联系", "who=1 log=- next=call@2026-12-08"),
    (MON, "王总 下个月初拜访", "who=1 log=- next=visit@2026-12-01"),
    (MON, "王总 下下周一 电话", "who=1 log=- next=call@2026-12-07"),
    (MON, "王总 元旦送台历", "who=1 log=- next=gift@2027-01-01"),
    (MON, "王总 周末约吃饭", "who=1 log=- next=visit@2026-11-28"),
    (MON, "王总 12.20 上门", "who=1 log=- next=visit@2026-12-20"),
    (MON, "王总 12月20号下午上门", "who=1 log=- next=visit@2026-12-20 14:00"),
    (MON, "明天去王总那边", "who=1 log=- next=visit@2026-11-24"),
    (MON, "王总 周三下午电话跟进", "who=1 log=- next=call@2026-11-25 14:00"),
    (MON, "下午3点打给王总", "who=1 log=- next=call@2026-11-23 15:00"),
    (MON, "王总 晚上7点吃饭", "who=1 log=- next=visit@2026-11-23 19:00"),
    (MON, "王总 9点电话", "who=1 log=- next=call@2026-11-23 09:00"),
    (MON, "王总 腊月廿三送礼", "who=1 log=- next=gift@2027-01-30"),
    (MON, "王总 下周二发微信", "who=1 log=- next=message@2026-12-01"),
    (MON, "王总 下周一发邮件", "who=1 log=- next=email@2026-11-30"),
    (MON, "王总 下周二开会", "who=1 log=- next=visit@2026-12-01"),
    (MON, "王总 下周", "who=1 log=- next=call@2026-11-30"),
    (MON, "王总 12月9号", "who=1 log=- next=call@2026-12-09"),
    (MON, "王总：报价3.5万，下周三前回复", "who=1 log=- next=call@2026-12-02"),
    (WED, "王总 下周三再约", "who=1 log=- next=visit@2026-12-02"),
    (SUN, "王总 下周三再约", "who=1 log=- next=visit@2026-12-02"),
    (FRI, "王总 15号再打", "who=1 log=- next=call@2026-12-15"),
    ("2027-01-31", "王总 一个月后回访", "who=1 log=- next=visit@2027-02-28"),
    ("2028-02-10", "王总 月底回访", "who=1 log=- next=visit@2028-02-29"),
    ("2027-02-10", "王总 月底回访", "who=1 log=- next=visit@2027-02-28"),
    ("2027-02-03", "王总 正月十五 再约", "who=1 log=- next=visit@2027-02-20"),
    ("2026-09-01", "王总 中秋送月饼", "who=1 log=- next=gift@2026-09-25"),
    ("2026-09-01", "王总 八月十五送月饼", "who=1 log=- next=gift@2026-09-25"),
    ("2026-09-01", "王总 国庆后第一个工作日打给他", "who=1 log=- next=call@2026-10-08"),
    ("2026-02-12", "王总 3个工作日后发微信", "who=1 log=- next=message@2026-02-24"),
    # --- both in one line
    (MON, "王总电话里说月底前要报价", "who=1 log=call@2026-11-23 next=call@2026-11-30"),
    (MON, "给李姐发了短信，明天打电话确认", "who=2 log=message@2026-11-23 next=call@2026-11-24"),
    (MON, "王总邮件里说下周二开会", "who=1 log=email@2026-11-23 next=visit@2026-12-01"),
    (MON, "小刘 上午拜访了，周五再约", "who=7 log=visit@2026-11-23 next=visit@2026-11-27"),
    (MON, "今天上午见了王总，下午3点再打个电话", "who=1 log=visit@2026-11-23 next=call@2026-11-23 15:00"),
    (MON, "跟王总通话半小时，下周一发报价邮件", "who=1 log=call@2026-11-23 next=email@2026-11-30"),
    (MON, "王总来电，问下周二能不能上门", "who=1 log=call@2026-11-23 next=visit@2026-12-01"),
    (MON, "王总 昨天电话里说下周三来", "who=1 log=call@2026-11-22 next=call@2026-12-02"),
    (MON, "张经理电话中确认了订单，12月初送货", "who=6 log=call@2026-11-23 next=call@2026-12-01"),
    ("2026-02-13", "赵总 通话 说下个工作日回复", "who=8 log=call@2026-02-13 next=call@2026-02-14"),
    (MON, "打了电话下周三再约王总", "who=1 log=call@2026-11-23 next=visit@2026-12-02"),
    (MON, "周五见了王总，周五再去他公司", "who=1 log=visit@2026-11-20 next=visit@2026-11-27"),
    # --- the customer by pinyin and initials, as search takes them
    (MON, "wz 电话沟通，月底上门", "who=1 log=call@2026-11-23 next=visit@2026-11-30"),
    (MON, "zengjingli 明天下午3点打给他", "who=5 log=- next=call@2026-11-24 15:00"),
    (MON, "zjl 明天下午3点打给他", "who=5|6 log=- next=call@2026-11-24 15:00"),  # 曾经理 and 张经理
    (MON, "wangzong 见了面", "who=1 log=visit@2026-11-23 next=-"),
    (MON, "WZ 明天上门", "who=1 log=- next=visit@2026-11-24"),
    (MON, "曾经理 下周三 下午两点半 去他公司", "who=5 log=- next=visit@2026-12-02 14:30"),
    (MON, "cengjingli 下周一再约", "who=5 log=- next=visit@2026-11-30"),
    (MON, "lijie 发了微信", "who=2 log=message@2026-11-23 next=-"),
    (MON, "李丽 下周三再约", "who=2 log=- next=visit@2026-12-02"),
    # --- never a guess: two customers, two days, two times are asked
    (MON, "陈总打了电话", "who=3|4 log=call@2026-11-23 next=-"),
    (MON, "王总和李姐一起吃了饭", "who=1|2 log=visit@2026-11-23 next=-"),
    (MON, "cz 明天上门", "who=3|4 log=- next=visit@2026-11-24"),
    (MON, "李姐 周一再约", "who=2 log=- next=visit@2026-11-23|2026-11-30"),
    (WED, "李姐 周一再约", "who=2 log=- next=visit@2026-11-30"),
    (MON, "王总 周三或周四上门", "who=1 log=- next=visit@2026-11-25|2026-11-26"),
    (MON, "王总 明天 打电话 或者 后天", "who=1 log=- next=call@2026-11-24|2026-11-25"),
    (MON, "王总 明天7点吃饭", "who=1 log=- next=visit@2026-11-24 07:00|19:00"),
    # --- what is not understood is said, and nothing is planned on a guess
    (MON, "王总 过几天再联系", "who=1 log=- next=- !vague"),
    (MON, "wz 发了微信，过几天再联系", "who=1 log=message@2026-11-23 next=- !vague"),
    (MON, "王总 春节前送礼", "who=1 log=- next=- !vague"),
    (MON, "王总 明年春节前再说", "who=1 log=- next=- !vague"),
    (MON, "王总 改天再约", "who=1 log=- next=- !vague"),
    (MON, "下次再约王总", "who=1 log=- next=- !next_no_day"),
    (MON, "带样品去王总公司", "who=1 log=- next=- !next_no_day"),
    (MON, "给王总发邮件", "who=1 log=- next=- !next_no_day"),
    (FRI, "王总 31号打给他", "who=1 log=- next=- !no_day_in_month"),
    # --- no customer named
    (MON, "明天", "who=- log=- next=call@2026-11-24"),
    (MON, "王 明天上门", "who=- log=- next=visit@2026-11-24"),
    (MON, "王总监 明天上门", "who=- log=- next=visit@2026-11-24"),
    (MON, "李姐夫 明天上门", "who=- log=- next=visit@2026-11-24"),
    (MON, "王总经理 明天上门", "who=1 log=- next=visit@2026-11-24"),
]
