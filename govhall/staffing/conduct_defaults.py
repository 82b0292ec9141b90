"""The standard code of conduct a center loads on an empty code (issue 21 item 3), in the
seeds' own words: seeds/000… 篇1 第二章 (文明用语), 四5 (八不准), 四6 (十条禁令), 二2–3 (标牌,
服饰); seeds/002… 四(一) 仪容仪表, (二) 文明用语 and its forbidden sentences, (三) 举止行为.

Each line is (section, text, offered to the patrol as a checklist point). The seeds name the
《十条禁令》 without listing them, so the code carries the line that binds staff to them; a
center adds its own ten lines when it has them.
"""

from __future__ import annotations

from govhall.staffing.models.conduct import ConductSection

P = ConductSection.POLITE
F = ConductSection.FORBIDDEN
B = ConductSection.BANS
D = ConductSection.DRESS

DEFAULT_CODE: tuple[tuple[str, str, bool], ...] = (
    # 文明用语 (seeds/000… 第二章 一、二; seeds/002… 四(二))
    (P, "接待办事群众时主动招呼：“您好！”“请问要办什么事？”", True),
    (
        P,
        "核对资料、填写证件时说：“请稍候”；办理业务时说：“请填写”“请缴费”“请听我详细讲解一下好吗”",
        False,
    ),
    (P, "资料不全时说：“对不起，您的资料不全，请补全手续再来办理”，并一次性告知所缺材料", False),
    (P, "不属本窗口的业务说：“请您到××窗口办理”，并指明具体位置", False),
    (P, "办理完毕时说：“您的手续已办好”“请保管好您的资料”“请慢走”“再见！”", False),
    (P, "工作中出差错时说：“对不起，请原谅”", False),
    (P, "铃响三声之内接听电话，并说：“您好，这里是××窗口，请问有什么可以帮到您？”", True),
    (
        P,
        "全面推广使用普通话，用语温和、谦恭，微笑服务，做到生人熟人一样、忙时闲时一样、标准条件一样",
        False,
    ),
    # 服务忌语 (seeds/002… 四(二); seeds/000… 首问责任制 (五))
    (F, "“我不知道，你去问××”", True),
    (F, "“有牌子，自己看”", True),
    (F, "“快点，我要下班了”", True),
    (F, "“已经告诉你一遍了，还不懂”", True),
    (F, "“没看我正忙着吗”", True),
    (F, "“不是我的事”“不归我管”等简单回绝的话", True),
    # 八不准 (seeds/000… 四5) and 十条禁令 (四6)
    (B, "不怠慢、顶撞、训斥办事群众", True),
    (B, "不擅离职守、随意走动、串岗聊天", True),
    (B, "不玩游戏机、听耳机、看与工作无关书报和上网查看与工作无关的信息", True),
    (B, "不嘻笑打闹、大声喧哗", True),
    (B, "不在服务大厅内吸烟、用餐、吃零食", True),
    (B, "不乱扔杂物、随地吐痰", True),
    (B, "不在服务大厅开展下棋、打牌等娱乐活动", False),
    (B, "不从事与工作无关的其他事情", False),
    (B, "严格遵守《十条禁令》", False),
    # 着装与工作牌 (seeds/000… 二2–3; seeds/002… 四(一))
    (D, "有国家统一制服的着制服上岗，无国家制服的按大厅管理部门要求统一着装", True),
    (D, "按规定佩戴大厅统一制发的工作牌上岗，标牌完整清新、佩戴端正", True),
    (D, "服装整洁适体，扣好衣扣，不得披衣、敞怀、挽袖、卷裤腿", False),
    (D, "不得戴墨镜，不得异色染发，化妆与佩饰大方得体", False),
)
