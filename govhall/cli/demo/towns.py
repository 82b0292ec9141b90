# ruff: noqa: E501  (data: long Chinese texts read better unwrapped)
"""Town service centers (便民服务中心) under the demo county, and their village rooms."""

from __future__ import annotations

from dataclasses import dataclass

from govhall.cli.demo.departments import CenterSpec, DepartmentSpec, WindowSpec
from govhall.cli.demo.items import (
    BANK_CARD,
    BENEFIT,
    CONFIRMATION,
    FULL,
    HUKOU,
    ID_CARD,
    LICENSING,
    LIMITED,
    PARTIAL,
    PUBLIC_SERVICE,
    ItemSpec,
    extra,
    main,
)


@dataclass(frozen=True)
class TownSpec:
    center: CenterSpec
    villages: tuple[CenterSpec, ...]
    department_serial: int  # first serial of the town's department credit codes


def _town(code: str, name: str, address: str, phone: str) -> CenterSpec:
    return CenterSpec(code, name, "town", address, phone)


def _village(code: str, name: str, address: str) -> CenterSpec:
    return CenterSpec(code, name, "village", address, "")


TOWNS = (
    TownSpec(
        _town("330100101", "城关镇便民服务中心", "示例县城关镇解放路12号", "0571-12346101"),
        (
            _village("330100101001", "东门社区便民服务室", "城关镇东门社区党群服务中心一楼"),
            _village("330100101201", "西关村便民服务室", "城关镇西关村村委会一楼"),
            _village("330100101202", "南塘村便民服务室", "城关镇南塘村文化礼堂"),
        ),
        2001,
    ),
    TownSpec(
        _town("330100102", "青山镇便民服务中心", "示例县青山镇青山街58号", "0571-12346201"),
        (
            _village("330100102201", "青山村便民服务室", "青山镇青山村村委会一楼"),
            _village("330100102202", "石桥村便民服务室", "青山镇石桥村党群服务中心"),
        ),
        2101,
    ),
    TownSpec(
        _town("330100201", "白云乡便民服务中心", "示例县白云乡白云路1号", "0571-12346301"),
        (
            _village("330100201201", "白云村便民服务室", "白云乡白云村村委会一楼"),
            _village("330100201202", "溪口村便民服务室", "白云乡溪口村文化礼堂"),
            _village("330100201203", "高坪村便民服务室", "白云乡高坪村党群服务中心"),
        ),
        2201,
    ),
)

# Every town stations the same three offices and runs two windows.
TOWN_DEPARTMENTS = (
    DepartmentSpec("SHSW", "社会事务办公室", "社会事务", "", 0),
    DepartmentSpec("LDBZ", "劳动保障所", "劳动保障", "", 1),
    DepartmentSpec("NYNC", "农业农村办公室", "农业农村", "", 2),
)
TOWN_WINDOWS = (
    WindowSpec(
        1, "综合受理窗口", ("SHSW", "LDBZ"), "一楼大厅", ("社会事务岗", "社保医保岗"), "SHSW"
    ),
    WindowSpec(2, "农业农村和村镇建设窗口", ("NYNC",), "一楼大厅", ("受理岗",), "SHSW"),
)

TOWN_ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        department="SHSW",
        name="农村最低生活保障申请",
        item_type=BENEFIT,
        legal_days=30,
        promised_days=10,
        basis="《社会救助暂行办法》第十一条；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        conditions="共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定的农村居民。",
        materials=(
            main("最低生活保障申请书"),
            ID_CARD,
            HUKOU,
            main("家庭经济状况核对授权书", "original"),
        ),
        windows=((1, LIMITED),),
        deciding_level="county",
        inspection=True,
        online_available=False,
    ),
    ItemSpec(
        department="SHSW",
        name="特困人员救助供养申请",
        item_type=BENEFIT,
        legal_days=30,
        promised_days=10,
        basis="《社会救助暂行办法》第十四条至第十六条；《特困人员认定办法》（民发〔2021〕43号）",
        conditions="无劳动能力、无生活来源，且无法定赡养、抚养、扶养义务人或者其义务人无履行能力的老年人、残疾人和未成年人。",
        materials=(main("特困人员救助供养申请书"), ID_CARD, HUKOU),
        windows=((1, LIMITED),),
        deciding_level="county",
        inspection=True,
        online_available=False,
    ),
    ItemSpec(
        department="SHSW",
        name="高龄津贴申领",
        item_type=BENEFIT,
        legal_days=20,
        promised_days=5,
        basis="《中华人民共和国老年人权益保障法》第三十三条；省高龄津贴发放办法",
        conditions="具有本县户籍、年满80周岁的老年人。",
        materials=(
            ID_CARD,
            HUKOU,
            BANK_CARD,
            extra("代办人身份证件", "copy", note="他人代办时提供"),
        ),
        windows=((1, PARTIAL),),
        visits_required=0,
    ),
    ItemSpec(
        department="SHSW",
        name="临时救助申请",
        item_type=BENEFIT,
        legal_days=20,
        promised_days=5,
        basis="《社会救助暂行办法》第四十七条至第五十条；《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）",
        conditions="因火灾、交通事故等意外事件或家庭成员突发重大疾病，导致基本生活暂时出现严重困难的家庭或个人。",
        materials=(
            main("临时救助申请书"),
            ID_CARD,
            main("困难情况证明材料", "copy", note="如医疗费用票据、事故证明"),
        ),
        windows=((1, PARTIAL),),
        inspection=True,
    ),
    ItemSpec(
        department="SHSW",
        name="残疾人证申领（受理转报）",
        item_type=CONFIRMATION,
        legal_days=30,
        promised_days=10,
        basis="《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》",
        conditions="符合残疾标准的本县户籍残疾人，经指定医疗机构评定残疾类别和等级。",
        materials=(ID_CARD, HUKOU, extra("近期免冠彩色照片", "original", copies=3)),
        windows=((1, LIMITED),),
        deciding_level="county",
        online_available=False,
    ),
    ItemSpec(
        department="LDBZ",
        name="城乡居民基本养老保险参保登记（乡镇）",
        item_type=PUBLIC_SERVICE,
        legal_days=10,
        promised_days=0,
        basis="《中华人民共和国社会保险法》第二十条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        conditions="年满16周岁、不属于职工基本养老保险覆盖范围的本镇户籍居民。",
        materials=(ID_CARD, main("城乡居民基本养老保险参保登记表")),
        windows=((1, FULL),),
        on_the_spot=True,
        visits_required=0,
    ),
    ItemSpec(
        department="LDBZ",
        name="城乡居民基本医疗保险参保登记（乡镇）",
        item_type=PUBLIC_SERVICE,
        legal_days=5,
        promised_days=0,
        basis="《中华人民共和国社会保险法》第二十五条",
        conditions="除职工基本医疗保险应参保人员以外的本镇城乡居民。",
        materials=(ID_CARD, HUKOU),
        windows=((1, FULL),),
        on_the_spot=True,
        visits_required=0,
    ),
    ItemSpec(
        department="NYNC",
        name="农村村民宅基地申请审批",
        item_type=LICENSING,
        legal_days=20,
        promised_days=8,
        basis="《中华人民共和国土地管理法》第六十二条；《农业农村部 自然资源部关于规范农村宅基地审批管理的通知》（农经发〔2019〕6号）",
        conditions="本集体经济组织成员，一户一宅，符合国土空间规划和村庄规划，涉及占用农用地的依法办理农用地转用审批。",
        materials=(
            main("农村宅基地和建房（规划许可）申请表"),
            main("农村宅基地使用承诺书", "original"),
            main("村民小组会议记录及村级组织审查意见", "original"),
            HUKOU,
            extra("原宅基地处置协议", "original", note="拆旧建新的提供"),
        ),
        windows=((2, LIMITED),),
        deciding_level="county",
        inspection=True,
        online_available=False,
        visits_required=2,
    ),
)
