"""The demo county hall: the center, its stationed departments and its numbered windows."""

from __future__ import annotations

from dataclasses import dataclass

COUNTY_AREA = "330100"
COUNTY_CODE = "330100"


@dataclass(frozen=True)
class CenterSpec:
    code: str
    name: str
    level: str
    address: str
    phone: str


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    short_name: str
    phone: str
    serial: int  # makes the department's unified social credit code


@dataclass(frozen=True)
class WindowSpec:
    number: int
    name: str
    departments: tuple[str, ...]
    location: str
    posts: tuple[str, ...]
    # Whose chief representative heads the window: a department code, or "" for the hall's own
    # comprehensive-window head (综合窗口由中心统一管理).
    head: str


COUNTY = CenterSpec(
    code=COUNTY_CODE,
    name="示例县政务服务中心",
    level="county",
    address="示例县城关镇人民路88号市民中心一至三楼",
    phone="0571-12345678",
)

DEPARTMENTS = (
    DepartmentSpec("SCJG", "县市场监督管理局", "市场监管", "0571-12345601", 1001),
    DepartmentSpec("ZRGH", "县自然资源和规划局", "自然资源", "0571-12345602", 1002),
    DepartmentSpec("BDC", "县不动产登记中心", "不动产", "0571-12345603", 1003),
    DepartmentSpec("GA", "县公安局（户政、出入境）", "公安", "0571-12345604", 1004),
    DepartmentSpec("RS", "县人力资源和社会保障局", "人社", "0571-12345605", 1005),
    DepartmentSpec("YB", "县医疗保障局", "医保", "0571-12345606", 1006),
    DepartmentSpec("ZJ", "县住房和城乡建设局", "住建", "0571-12345607", 1007),
    DepartmentSpec("MZ", "县民政局", "民政", "0571-12345608", 1008),
    DepartmentSpec("WJ", "县卫生健康局", "卫健", "0571-12345609", 1009),
    DepartmentSpec("JT", "县交通运输局", "交通", "0571-12345610", 1010),
    DepartmentSpec("SW", "国家税务总局示例县税务局", "税务", "0571-12345611", 1011),
    DepartmentSpec("GJJ", "县住房公积金管理中心", "公积金", "0571-12345612", 1012),
    DepartmentSpec("HB", "县生态环境局", "生态环境", "0571-12345613", 1013),
)

ACCEPT = "受理岗"
WINDOWS = (
    WindowSpec(1, "企业开办综合受理窗口", ("SCJG", "SW", "GA"), "一楼A区", ("综合受理岗",), "SCJG"),
    WindowSpec(2, "市场主体登记窗口", ("SCJG",), "一楼A区", (ACCEPT,), "SCJG"),
    WindowSpec(3, "食品药品许可窗口", ("SCJG",), "一楼A区", (ACCEPT,), "SCJG"),
    WindowSpec(
        4, "不动产登记综合受理窗口", ("BDC", "SW"), "一楼B区", ("交易登记岗", "税费征收岗"), "BDC"
    ),
    WindowSpec(5, "不动产登记窗口", ("BDC",), "一楼B区", (ACCEPT,), "BDC"),
    WindowSpec(6, "不动产抵押登记窗口", ("BDC",), "一楼B区", (ACCEPT,), "BDC"),
    WindowSpec(
        7,
        "工程建设项目审批综合受理窗口",
        ("ZJ", "ZRGH", "HB"),
        "二楼C区",
        ("综合受理岗", "帮办代办岗"),
        "",
    ),
    WindowSpec(8, "规划许可窗口", ("ZRGH",), "二楼C区", (ACCEPT,), "ZRGH"),
    WindowSpec(9, "户政窗口", ("GA",), "一楼C区", ("户籍岗", "身份证岗"), "GA"),
    WindowSpec(10, "出入境窗口", ("GA",), "一楼C区", (ACCEPT,), "GA"),
    WindowSpec(11, "社会保障窗口", ("RS",), "二楼A区", (ACCEPT,), "RS"),
    WindowSpec(12, "就业创业窗口", ("RS",), "二楼A区", (ACCEPT,), "RS"),
    WindowSpec(13, "医疗保障窗口", ("YB",), "二楼A区", (ACCEPT,), "YB"),
    WindowSpec(14, "住房城乡建设窗口", ("ZJ",), "二楼C区", (ACCEPT,), "ZJ"),
    WindowSpec(15, "民政窗口", ("MZ",), "二楼B区", (ACCEPT,), "MZ"),
    WindowSpec(16, "卫生健康窗口", ("WJ",), "二楼B区", (ACCEPT,), "WJ"),
    WindowSpec(17, "交通运输窗口", ("JT",), "二楼C区", (ACCEPT,), "JT"),
    WindowSpec(18, "税务综合窗口", ("SW",), "一楼D区", ("申报纳税岗",), "SW"),
    WindowSpec(19, "税务发票窗口", ("SW",), "一楼D区", ("发票岗",), "SW"),
    WindowSpec(20, "住房公积金窗口", ("GJJ",), "二楼A区", (ACCEPT,), "GJJ"),
    WindowSpec(21, "生态环境窗口", ("HB",), "二楼C区", (ACCEPT,), "HB"),
    WindowSpec(
        22,
        "社会事务综合受理窗口",
        ("MZ", "WJ", "YB", "RS"),
        "二楼B区",
        ("综合受理岗", "一件事联办岗"),
        "",
    ),
    WindowSpec(23, "“办不成事”反映窗口", (), "一楼大厅东侧", ("反映受理岗",), ""),
)
