"""Places of the demo county: Mingxi 明溪县 (350421), its nine townships, villages and agency units.

Township codes follow GB/T 10114 (镇 100–199, 乡 200–399). The 城关乡 villages and their order are
the NBS 2013 statistical codes (罗翠村 350421200201 … 大坪村 350421200209); 盖洋镇's 柳里社区 and
first villages follow the same source; the other village names are real-sounding local names of
this hill country (…坊 …坑 …坪 …洋), not an official list. Extra villages for large benchmark
counties are composed from the same word stock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

COUNTY_CODE = "350421"
COUNTY_NAME = "明溪县"
AREA_CODE = "0598"  # landline area code; Mingxi local numbers start with 28


@dataclass(frozen=True)
class Township:
    part: str  # the 3-digit township part of the code
    name: str
    weight: float  # share of the county's village population (≈ resident population, thousands)
    communities: tuple[str, ...]
    villages: tuple[str, ...]


TOWNSHIPS: tuple[Township, ...] = (
    Township("100", "雪峰镇", 34.0,
             ("东新社区", "城西社区", "城南社区", "城东社区", "雪峰社区", "北门社区"),
             ("东门村", "南山村", "城北村", "王坊村", "渔塘村", "杨家村", "翠竹洋村", "旦上村")),
    Township("101", "盖洋镇", 21.0, ("柳里社区",),
             ("盖洋村", "白叶村", "白岚村", "湾内村", "常坪村", "村头村", "湖上村", "葫芦形村", "雷西村",
              "杨地村", "温庄村", "姜坊村", "坑头村", "坑源村", "下洋村", "竹林村", "新坊村", "谢坊村")),
    Township("102", "胡坊镇", 10.0, ("胡坊社区",),
             ("胡坊村", "柏亭村", "肖家村", "洋里村", "蛟坑村", "溪源村", "际下村", "明珠村", "朱坊村",
              "大洋村")),
    Township("103", "瀚仙镇", 10.0, ("瀚仙社区",),
             ("瀚仙村", "龙湖村", "岩里村", "城岚村", "廷坊村", "下坊村", "长坑村", "江坊村", "桂林村",
              "石坑村", "鳌头村")),
    Township("200", "城关乡", 10.7, (),
             ("罗翠村", "坪埠村", "大富村", "王桥村", "上坊村", "狮窠村", "下汴村", "余坊村", "大坪村")),
    Township("201", "沙溪乡", 6.2, (),
             ("沙溪村", "梓口坊村", "瓦溪村", "渠溪村", "上地村", "秀里村", "碧坑村")),
    Township("202", "夏阳乡", 8.0, (),
             ("夏阳村", "紫云村", "御帘村", "里岭村", "洋坑村", "蒋坊村", "大源村", "下地村")),
    Township("203", "枫溪乡", 6.0, (),
             ("枫溪村", "官坊村", "邓家村", "华山村", "少阳村", "坪溪村", "黄地村")),
    Township("204", "夏坊乡", 6.5, (),
             ("夏坊村", "鳌坑村", "石珩村", "过坊村", "吴地村", "里坑村", "上坪村", "沙坪村")),
)

# The township of the village and township scales, and the village of the village scale.
HOME_TOWNSHIP = "200"  # 城关乡
HOME_VILLAGE = "201"  # 罗翠村

# 机关 channel: units enrolling their own staff, with a relative staff size.
AGENCY_UNITS: tuple[tuple[str, int], ...] = (
    ("县委办公室", 3), ("县人大常委会办公室", 2), ("县政府办公室", 3), ("县政协办公室", 2),
    ("县纪委监委", 4), ("县委组织部", 2), ("县委宣传部", 2), ("县发改局", 3), ("县教育局", 5),
    ("县财政局", 4), ("县人社局", 3), ("县自然资源局", 4), ("县住建局", 3), ("县交通运输局", 3),
    ("县农业农村局", 5), ("县林业局", 5), ("县水利局", 3), ("县卫健局", 4), ("县民政局", 3),
    ("县市场监管局", 5), ("县公安局", 10), ("县司法局", 2), ("县审计局", 2), ("县统计局", 2),
    ("县医保局", 2), ("县应急管理局", 2), ("县文体旅局", 3), ("县退役军人事务局", 1), ("县税务局", 5),
    ("县人民法院", 5), ("县人民检察院", 4), ("县总工会", 1), ("团县委", 1), ("县妇联", 1),
    ("县计生协会", 1), ("县融媒体中心", 2), ("县人民医院", 25), ("县中医院", 10), ("县疾控中心", 4),
    ("县妇幼保健院", 4), ("明溪一中", 12), ("明溪二中", 8), ("县实验小学", 8), ("县城关中学", 6),
    ("县职业中专学校", 5), ("县实验幼儿园", 3),
)
AGENCY_SHARE = 0.05  # share of the county's persons enrolled through the 机关 channel

# Streets and housing estates of the county seat (雪峰镇) and of market towns.
STREETS = ("建设路", "中山路", "紫云路", "雪峰路", "东新路", "城南路", "府前路", "滨河路", "解放路",
           "和平路", "渔塘路", "翠竹路", "城西路", "民主路", "新华路", "胜利街")
ESTATES = ("紫云花园", "滨江小区", "翠竹新村", "城南花园", "东新小区", "书香苑", "金色家园", "阳光嘉园",
           "府前小区", "雪峰新村")

# Where married-in spouses and newcomers were registered: (GB/T 2260 code, relative weight).
# Retired codes (梅列 350402, 沙县 350427) are kept on purpose: they stay in people's numbers.
FUJIAN_REGIONS: tuple[tuple[str, int], ...] = (
    ("350423", 6), ("350424", 6), ("350428", 5), ("350403", 4), ("350402", 3), ("350427", 4),
    ("350425", 3), ("350426", 3), ("350429", 3), ("350430", 3), ("350481", 4), ("350721", 2),
    ("350783", 2), ("350802", 2), ("350821", 3), ("350102", 1), ("350583", 1),
)
OTHER_REGIONS: tuple[tuple[str, int], ...] = (
    ("360781", 4), ("360730", 3), ("360732", 3), ("361030", 2), ("450881", 2), ("450821", 2),
    ("510623", 2), ("511323", 2), ("522422", 2), ("430524", 2), ("532128", 2), ("421087", 1),
    ("341222", 1), ("441481", 1),
)

_NAME_HEADS = ("大", "小", "上", "下", "东", "西", "南", "北", "中", "新", "高", "长", "石", "竹", "杨",
               "李", "黄", "陈", "江", "龙", "枫", "梅", "桂", "桃", "柏", "松", "茶", "白", "青", "紫",
               "金", "岩", "罗", "曾", "邱", "廖", "温", "余", "吴", "坪", "洋", "溪", "坑", "莲", "凤")
_NAME_TAILS = ("坪", "洋", "坊", "坑", "溪", "岭", "地", "源", "口", "头", "塘", "桥", "湖", "山", "林",
               "岗", "墩", "庄", "厝", "田")


def extra_village_names(taken: set[str], count: int, salt: int) -> list[str]:
    """``count`` composed village names (…村) not in ``taken``; the same arguments give the same list."""
    pool = [h + t + "村" for h in _NAME_HEADS for t in _NAME_TAILS if h != t]
    random.Random(salt).shuffle(pool)
    names = [n for n in pool if n not in taken]
    if count > len(names):
        names += [f"{n[:-1]}{i}村" for i in range(2, 9) for n in names[:]][: count - len(names)]
    return names[:count]
