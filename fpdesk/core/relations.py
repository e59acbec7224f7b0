"""Relations to the head of household as GB/T 4761-2008 家庭关系代码 has them, and as rosters write them.

The standard gives one-digit codes (0 本人或户主 … 8 其他) and two-digit codes (20 子, 31 独生女, 53 公公 …).
Rosters use those words, the codes themselves, and words of their own: 子女, 孙子女, 父母, 公婆 name both
sexes, and are resolved by the person's sex (from the ID number, or the 性别 column). What is stored
is fpdesk's relation (fpdesk.core.vocabulary.Relation); a relation the register has no own word for
(嫂, 侄子, 非亲属) is stored as 其他.
"""

from __future__ import annotations

from fpdesk.core.vocabulary import Relation, Sex

R = Relation
# a relation that depends on the person's sex: (male, female)
_BY_SEX = {
    "child": (R.SON, R.DAUGHTER),
    "grandchild": (R.GRANDSON, R.GRANDDAUGHTER),
    "parent": (R.FATHER, R.MOTHER),
    "parent_in_law": (R.FATHER_IN_LAW, R.MOTHER_IN_LAW),
    "grandparent": (R.GRANDFATHER, R.GRANDMOTHER),
    "sibling": (R.BROTHER, R.SISTER),
    "spouse": (R.SPOUSE, R.SPOUSE),
}
Meaning = Relation | str  # a Relation, or a key of _BY_SEX

# GB/T 4761-2008, the two-digit codes and their words (the one-digit codes are the first digit: 0 … 8)
GB_T_4761: dict[str, tuple[str, Meaning]] = {
    "01": ("本人", R.HEAD), "02": ("户主", R.HEAD),
    "10": ("配偶", "spouse"), "11": ("夫", R.SPOUSE), "12": ("妻", R.SPOUSE),
    "20": ("子", R.SON), "21": ("独生子", R.SON), "22": ("长子", R.SON), "23": ("次子", R.SON), "24": ("三子", R.SON),
    "25": ("四子", R.SON), "26": ("五子", R.SON), "27": ("养子或继子", R.SON), "28": ("女婿", R.SON_IN_LAW),
    "29": ("其他儿子", R.SON),
    "30": ("女", R.DAUGHTER), "31": ("独生女", R.DAUGHTER), "32": ("长女", R.DAUGHTER), "33": ("次女", R.DAUGHTER),
    "34": ("三女", R.DAUGHTER), "35": ("四女", R.DAUGHTER), "36": ("五女", R.DAUGHTER),
    "37": ("养女或继女", R.DAUGHTER), "38": ("儿媳", R.DAUGHTER_IN_LAW), "39": ("其他女儿", R.DAUGHTER),
    "40": ("孙子、孙女或外孙子、外孙女", "grandchild"), "41": ("孙子", R.GRANDSON), "42": ("孙女", R.GRANDDAUGHTER),
    "43": ("外孙子", R.GRANDSON), "44": ("外孙女", R.GRANDDAUGHTER), "45": ("孙媳妇或外孙媳妇", R.OTHER),
    "46": ("孙女婿或外孙女婿", R.OTHER), "47": ("曾孙子或外曾孙子", R.GRANDSON), "48": ("曾孙女或外曾孙女", R.GRANDDAUGHTER),
    "49": ("其他孙子、孙女或外孙子、外孙女", "grandchild"),
    "50": ("父母", "parent"), "51": ("父亲", R.FATHER), "52": ("母亲", R.MOTHER), "53": ("公公", R.FATHER_IN_LAW),
    "54": ("婆婆", R.MOTHER_IN_LAW), "55": ("岳父", R.FATHER_IN_LAW), "56": ("岳母", R.MOTHER_IN_LAW),
    "57": ("继父或养父", R.FATHER), "58": ("继母或养母", R.MOTHER), "59": ("其他父母关系", "parent"),
    "60": ("祖父母或外祖父母", "grandparent"), "61": ("祖父", R.GRANDFATHER), "62": ("祖母", R.GRANDMOTHER),
    "63": ("外祖父", R.GRANDFATHER), "64": ("外祖母", R.GRANDMOTHER), "65": ("配偶的祖父母或外祖父母", "grandparent"),
    "66": ("曾祖父", R.GRANDFATHER), "67": ("曾祖母", R.GRANDMOTHER), "68": ("配偶的曾祖父母或外曾祖父母", "grandparent"),
    "69": ("其他祖父母或外祖父母关系", "grandparent"),
    "70": ("兄、弟、姐、妹", "sibling"), "71": ("兄", R.BROTHER), "72": ("嫂", R.OTHER), "73": ("弟", R.BROTHER),
    "74": ("弟媳", R.OTHER), "75": ("姐姐", R.SISTER), "76": ("姐夫", R.OTHER), "77": ("妹妹", R.SISTER),
    "78": ("妹夫", R.OTHER), "79": ("其他兄弟姐妹", "sibling"),
    "80": ("其他", R.OTHER), "81": ("伯父", R.OTHER), "82": ("伯母", R.OTHER), "83": ("叔父", R.OTHER),
    "84": ("婶母", R.OTHER), "85": ("舅父", R.OTHER), "86": ("舅母", R.OTHER), "87": ("姨父", R.OTHER),
    "88": ("姨母", R.OTHER), "89": ("姑父", R.OTHER), "90": ("姑母", R.OTHER), "91": ("堂兄弟、堂姐妹", R.OTHER),
    "92": ("表兄弟、表姐妹", R.OTHER), "93": ("侄子", R.OTHER), "94": ("侄女", R.OTHER), "95": ("外甥", R.OTHER),
    "96": ("外甥女", R.OTHER), "97": ("其他亲属", R.OTHER), "99": ("非亲属", R.OTHER),
}
GB_T_4761_CLASSES: dict[str, tuple[str, Meaning]] = {
    "0": ("本人或户主", R.HEAD), "1": ("配偶", "spouse"), "2": ("子", R.SON), "3": ("女", R.DAUGHTER),
    "4": ("孙子、孙女、外孙子、外孙女", "grandchild"), "5": ("父母", "parent"), "6": ("祖父母、外祖父母", "grandparent"),
    "7": ("兄、弟、姐、妹", "sibling"), "8": ("其他", R.OTHER),
}
# Words rosters and household registers use beside the standard's (户口簿 writes 之子, 之女 …).
ROSTER_WORDS: dict[str, Meaning] = {
    "户主本人": R.HEAD, "丈夫": R.SPOUSE, "妻子": R.SPOUSE, "夫妻": "spouse", "之妻": R.SPOUSE, "之夫": R.SPOUSE,
    "子女": "child", "儿女": "child", "儿子": R.SON, "女儿": R.DAUGHTER, "之子": R.SON, "之女": R.DAUGHTER,
    "长男": R.SON, "次男": R.SON, "养子": R.SON, "继子": R.SON, "养女": R.DAUGHTER, "继女": R.DAUGHTER,
    "媳妇": R.DAUGHTER_IN_LAW, "儿媳妇": R.DAUGHTER_IN_LAW, "孙子女": "grandchild", "外孙子女": "grandchild",
    "孙辈": "grandchild", "孙": R.GRANDSON, "外孙": R.GRANDSON, "父": R.FATHER, "母": R.MOTHER,
    "父亲母亲": "parent", "公婆": "parent_in_law", "岳父母": "parent_in_law", "祖父母": "grandparent",
    "外祖父母": "grandparent", "爷爷": R.GRANDFATHER, "奶奶": R.GRANDMOTHER, "外公": R.GRANDFATHER,
    "外婆": R.GRANDMOTHER, "兄弟姐妹": "sibling", "兄弟": R.BROTHER, "姐妹": R.SISTER, "哥哥": R.BROTHER,
    "弟弟": R.BROTHER, "姐": R.SISTER, "妹": R.SISTER, "孙女婿": R.OTHER, "孙媳": R.OTHER, "侄": R.OTHER,
    "其它": R.OTHER, "亲属": R.OTHER,
}


def _words() -> dict[str, Meaning]:
    """Codes and whole words first; then the parts of the standard's compound words (孙子、孙女或外孙子、
    外孙女), where no whole word says more."""
    standard = (*GB_T_4761.items(), *GB_T_4761_CLASSES.items())
    words: dict[str, Meaning] = {}
    for code, (word, meaning) in standard:
        words.setdefault(code, meaning)
        words.setdefault(word, meaning)
    for word, meaning in ROSTER_WORDS.items():
        words.setdefault(word, meaning)
    for _code, (word, meaning) in standard:
        for part in word.replace("或", "、").split("、"):
            words.setdefault(part, meaning)
    return words


_WORDS = _words()


def needs_sex(text: str) -> bool:
    """Whether the word (子女, 父母, 40 …) names both sexes and is resolved by the person's sex."""
    return isinstance(_meaning(text), str)


def _meaning(text: str) -> Meaning | None:
    value = "".join(str(text).split())
    found = _WORDS.get(value)
    if found is None and value.isdigit() and len(value) == 3 and value[0] == "0":
        found = _WORDS.get(value[1:])  # a code written with a leading zero by a text cell (020)
    if found is None:
        try:
            return Relation.from_text(value)
        except ValueError:
            return None
    return found


def relation_from_text(text: str, sex: Sex | str | None) -> Relation:
    """The relation a roster cell names: a GB/T 4761-2008 code or word, a word rosters use, or
    fpdesk's own label. ValueError when the text is none of these, or names both sexes and ``sex`` is
    unknown."""
    meaning = _meaning(text)
    if meaning is None:
        raise ValueError(text)
    if isinstance(meaning, Relation):
        return meaning
    if sex is None:
        raise ValueError(text)
    male, female = _BY_SEX[meaning]
    return male if Sex(sex) is Sex.MALE else female
