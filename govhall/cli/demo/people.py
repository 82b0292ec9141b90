"""Demo people: one login per role, and a pool of names for everybody else."""

from __future__ import annotations

from dataclasses import dataclass

from govhall.core.roles import Role

DEMO_PASSWORD = "demo-2026"

COUNTY = "county"
TOWN = "330100101"  # 城关镇便民服务中心


@dataclass(frozen=True)
class LoginSpec:
    role: Role
    username: str
    full_name: str
    title: str
    center: str  # COUNTY or a town code
    department: str = ""  # a department code of that center
    window_staff: bool = False


# The clerk holds the A post of window 1 and the head heads windows 1–3 (see loader).
LOGINS = (
    LoginSpec(Role.DIRECTOR, "director", "王建国", "大厅主任", COUNTY),
    LoginSpec(Role.ADMIN, "admin", "李文博", "系统管理员", COUNTY),
    LoginSpec(Role.GUIDE, "guide", "陈晓燕", "导服员", COUNTY),
    LoginSpec(Role.CLERK, "clerk", "张丽华", "窗口工作人员", COUNTY, "SCJG", window_staff=True),
    LoginSpec(
        Role.WINDOW_HEAD,
        "head",
        "刘志强",
        "首席代表（市场监管）",
        COUNTY,
        "SCJG",
        window_staff=True,
    ),
    LoginSpec(Role.REVIEWER, "reviewer", "赵明", "后台审核", COUNTY, "SCJG"),
    LoginSpec(Role.APPROVER, "approver", "孙立新", "审批科长", COUNTY, "SCJG"),
    LoginSpec(Role.SUPERVISOR, "supervisor", "周敏", "电子监察", COUNTY),
    LoginSpec(Role.DEPT_LEADER, "leader", "吴国平", "分管副局长", COUNTY, "SCJG"),
    LoginSpec(Role.SOCIAL_SUPERVISOR, "social", "郑秀兰", "行风监督员", COUNTY),
    LoginSpec(Role.AGENT, "agent", "何志远", "代办员（代办窗口）", COUNTY),
    LoginSpec(Role.COUNTY_LEADER, "countyleader", "刘振华", "分管副县长", COUNTY),
    LoginSpec(Role.DIRECTOR, "town", "钱海涛", "便民服务中心主任", TOWN),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢傅钟姜崔谭陆汪范金"
    "石廖贾夏韦付方邹熊白孟秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万"
    "钱覃武戴孔"
)
GIVEN_NAMES = (
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "文", "辉", "鹏", "华", "红", "玉兰",
    "建华", "晓东", "海燕", "志勇", "丹", "萍", "慧", "婷", "雪", "琳", "宇", "浩", "凯", "佳",
    "欣怡", "子涵", "思远", "雨桐", "俊杰", "晓明", "春梅", "国庆", "小红", "立群", "卫东",
)  # fmt: skip


def person_name(serial: int) -> str:
    """A deterministic, varied Chinese name for the `serial`-th demo person."""
    surname = SURNAMES[(serial * 7) % len(SURNAMES)]
    given = GIVEN_NAMES[(serial * 11 + serial // len(GIVEN_NAMES)) % len(GIVEN_NAMES)]
    return surname + given
