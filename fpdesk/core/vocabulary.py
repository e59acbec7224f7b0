"""The closed vocabularies of the domain, each value with its Chinese and English label.

Identifiers follow docs/glossary.md; the Chinese words appear only as labels.
"""

from __future__ import annotations

from enum import StrEnum

from fpdesk.core.language import pick


class Labelled(StrEnum):
    """A StrEnum whose members carry (zh, en) labels in ``_labels``."""

    @property
    def label_zh(self) -> str:
        return type(self)._labels()[self.value][0]

    @property
    def label_en(self) -> str:
        return type(self)._labels()[self.value][1]

    def label(self, language: str = "zh") -> str:
        return pick(self.label_zh, self.label_en, language)

    @classmethod
    def _labels(cls) -> dict[str, tuple[str, str]]:
        raise NotImplementedError

    @classmethod
    def from_text(cls, text: str):
        """Accept the identifier or either label (as people type them in rosters)."""
        text = str(text).strip()
        for member in cls:
            if text in (member.value, member.label_zh, member.label_en) or text in _ALIASES.get(
                member.value, ()
            ):
                return member
        raise ValueError(text)


class HouseholdCategory(Labelled):
    ONLY_CHILD = "only_child"
    ONLY_DAUGHTER_CERTIFIED = "only_daughter_certified"
    TWO_DAUGHTERS_STERILIZED = "two_daughters_sterilized"
    SPECIAL_FAMILY = "special_family"
    SPECIAL_BEREAVED = "special_bereaved"
    SPECIAL_DISABLED = "special_disabled"
    POVERTY_TARGETED = "poverty_targeted"
    HARDSHIP = "hardship"
    OTHER_FP = "other_fp"
    UNIT_EMPLOYEE = "unit_employee"

    @classmethod
    def _labels(cls):
        return {
            "only_child": ("独生子女户", "Only-child household"),
            "only_daughter_certified": ("独女领证户", "Certified only-daughter household"),
            "two_daughters_sterilized": ("二女结扎户", "Two daughters, parent sterilized"),
            "special_family": ("计生特殊家庭", "Special FP family"),
            "special_bereaved": ("失独家庭", "Bereaved (only child died)"),
            "special_disabled": ("伤残家庭", "Only child disabled"),
            "poverty_targeted": ("精准扶贫计生户", "Poverty-targeted FP household"),
            "hardship": ("困难计生家庭", "Hardship FP household"),
            "other_fp": ("其他计生家庭", "Other FP household"),
            "unit_employee": ("在岗干部职工", "Agency/unit employee"),
        }

    @property
    def is_special(self) -> bool:
        return self in (self.SPECIAL_FAMILY, self.SPECIAL_BEREAVED, self.SPECIAL_DISABLED)


class Relation(Labelled):
    HEAD = "head"
    SPOUSE = "spouse"
    SON = "son"
    DAUGHTER = "daughter"
    FATHER = "father"
    MOTHER = "mother"
    FATHER_IN_LAW = "father_in_law"
    MOTHER_IN_LAW = "mother_in_law"
    GRANDSON = "grandson"
    GRANDDAUGHTER = "granddaughter"
    DAUGHTER_IN_LAW = "daughter_in_law"
    SON_IN_LAW = "son_in_law"
    GRANDFATHER = "grandfather"
    GRANDMOTHER = "grandmother"
    BROTHER = "brother"
    SISTER = "sister"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            "head": ("户主", "Head"),
            "spouse": ("配偶", "Spouse"),
            "son": ("子", "Son"),
            "daughter": ("女", "Daughter"),
            "father": ("父亲", "Father"),
            "mother": ("母亲", "Mother"),
            "father_in_law": ("公公/岳父", "Father-in-law"),
            "mother_in_law": ("婆婆/岳母", "Mother-in-law"),
            "grandson": ("孙子/外孙", "Grandson"),
            "granddaughter": ("孙女/外孙女", "Granddaughter"),
            "daughter_in_law": ("儿媳", "Daughter-in-law"),
            "son_in_law": ("女婿", "Son-in-law"),
            "grandfather": ("祖父/外祖父", "Grandfather"),
            "grandmother": ("祖母/外祖母", "Grandmother"),
            "brother": ("兄弟", "Brother"),
            "sister": ("姐妹", "Sister"),
            "other": ("其他", "Other"),
        }


class PersonStatus(Labelled):
    ALIVE = "alive"
    DECEASED = "deceased"
    MOVED_OUT = "moved_out"
    MERGED = "merged"  # a duplicate record merged into another by a reviewer (sync); reversible

    @classmethod
    def _labels(cls):
        return {"alive": ("在册", "registered"), "deceased": ("死亡", "deceased"), "moved_out": ("迁出", "moved out"),
                "merged": ("已合并", "merged")}


class HouseholdStatus(Labelled):
    ACTIVE = "active"
    RETIRED = "retired"  # 注销: nobody left in it (services/households.retire_household)

    @classmethod
    def _labels(cls):
        return {"active": ("正常", "active"), "retired": ("已注销", "retired")}


class Sex(Labelled):
    MALE = "male"
    FEMALE = "female"

    @classmethod
    def _labels(cls):
        return {"male": ("男", "Male"), "female": ("女", "Female")}


class OfficeLevel(Labelled):
    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"

    @classmethod
    def _labels(cls):
        return {"village": ("村（社区）", "Village"), "township": ("乡镇（街道）", "Township"), "county": ("县（市、区）", "County")}


class DivisionKind(Labelled):
    COUNTY = "county"
    SUBDISTRICT = "subdistrict"
    TOWN = "town"
    TOWNSHIP = "township"
    PARK = "park"
    COMMUNITY = "community"
    VILLAGE = "village"
    VILLAGER_GROUP = "villager_group"
    AGENCY_CHANNEL = "agency_channel"
    AGENCY_UNIT = "agency_unit"

    @classmethod
    def _labels(cls):
        return {
            "county": ("县", "County"),
            "subdistrict": ("街道", "Subdistrict"),
            "town": ("镇", "Town"),
            "township": ("乡", "Township"),
            "park": ("园区", "Park"),
            "community": ("社区", "Community"),
            "village": ("村", "Village"),
            "villager_group": ("村民小组", "Villager group"),
            "agency_channel": ("机关单位", "Agencies and units"),
            "agency_unit": ("单位", "Agency unit"),
        }


class PayerType(Labelled):
    GOVERNMENT = "government"
    SELF = "self"
    EMPLOYER = "employer"

    @classmethod
    def _labels(cls):
        # the words of S1's enrollment table (政府投保 / 自主投保), on screens, papers and exports alike
        return {"government": ("政府投保", "Government-paid"), "self": ("自主投保", "Self-paid"),
                "employer": ("单位投保", "Employer-paid")}


_ALIASES: dict[str, tuple[str, ...]] = {
    "two_daughters_sterilized": ("计生二女户", "双女结扎户", "二女户"),
    "only_daughter_certified": ("独女户",),
    "special_family": ("特殊家庭",),
    "special_bereaved": ("失独",),
    "poverty_targeted": ("精准扶贫户", "贫困户"),
    "hardship": ("困难家庭",),
    "other_fp": ("其他",),
    "unit_employee": ("干部职工", "单位职工"),
    "son": ("儿子", "长子", "次子"),
    "daughter": ("女儿", "长女", "次女"),
    "spouse": ("妻", "夫", "妻子", "丈夫"),
    "father": ("父",),
    "mother": ("母",),
    "grandson": ("孙子", "外孙"),
    "granddaughter": ("孙女", "外孙女"),
    "father_in_law": ("公公", "岳父"),
    "mother_in_law": ("婆婆", "岳母"),
    # how rosters and typed input say them, still read
    "government": ("政府", "财政", "财政出资", "政府出资", "Government"),  # glossary: also read
    "self": ("自费", "个人", "Self"),  # glossary: also read
    "employer": ("单位", "Employer"),
    "male": ("M",),
    "female": ("F",),
}
