"""Text normal forms shared by the registries and the checks (SPEC §5).

Both sides of every comparison go through the same function, so a registry value
and a value read from a scan can only differ in substance, never in spelling
(full-width digits, stray spaces, a Kangxi-radical ``⼯`` instead of ``工``).
"""

from __future__ import annotations

import unicodedata

# Traditional forms OCR models emit for simplified characters (handwriting fonts above
# all), mapped back so that 鷹潭市技工學校 is 鹰潭市技工学校 and 海峽 is 海峡: OpenCC's
# character table (``TSCharacters``, as its t2s conversion uses it: the first simplified
# form), except characters that are simplified in their own right too (乾 → 干 or 乾 as
# written): those stay as read. The pairs below were seen in our own reads first and
# win where OpenCC lists more than one form (畫 → 画, not 划). Both sides of every
# comparison are folded the same way.
SEEN_PAIRS = (
    "黃陳張劉楊趙吳孫鄭馬許羅謝韓馮鄧蕭葉蔣蘇盧龍華國軍紅麗強偉輝鵬濤東蘭鳳雲義興寶貴發鍾鄒譚賴萬廣聶閻嚴"
    "顧龔錢湯賀曉藝靜潔鋒閃業級認證職資書機構鑑鑒評價師員護電氣裝維術錦區縣鎮鄉門開關練訓學際會廳範準備驗"
    "記號編協導車輛駕駛運輸險務傳製飯麵點調營銷產層實績優簽訂權屬現處勞動壽歲寧遼嶺滬閩贛魯粵瓊陝隴臺灣漢"
    "廈饒潯鷹豐餘揚鳴愛嬌鐵銀團療醫藥衛檢測設計築標樁網絡線農獸應災檔傢圖畫幣銳遠達創廠鋼鑄鍛塗鈑鉗銑輪體"
    "統養飲續類項題額頁順頓預領頭撫臨萊陽隊語鄰錄講為這們個來時問從與對將們陸豬廚鍋滅種碼誌",
    "黄陈张刘杨赵吴孙郑马许罗谢韩冯邓萧叶蒋苏卢龙华国军红丽强伟辉鹏涛东兰凤云义兴宝贵发钟邹谭赖万广聂阎严"
    "顾龚钱汤贺晓艺静洁锋闪业级认证职资书机构鉴鉴评价师员护电气装维术锦区县镇乡门开关练训学际会厅范准备验"
    "记号编协导车辆驾驶运输险务传制饭面点调营销产层实绩优签订权属现处劳动寿岁宁辽岭沪闽赣鲁粤琼陕陇台湾汉"
    "厦饶浔鹰丰余扬鸣爱娇铁银团疗医药卫检测设计筑标桩网络线农兽应灾档家图画币锐远达创厂钢铸锻涂钣钳铣轮体"
    "统养饮续类项题额页顺顿预领头抚临莱阳队语邻录讲为这们个来时问从与对将们陆猪厨锅灭种码志",
)


def _opencc_pairs() -> dict[str, str]:
    from importlib.resources import files

    table = files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    pairs: dict[str, str] = {}
    for row in table.splitlines():
        src, _, dst = row.partition("\t")
        forms = dst.split()
        if len(src) == 1 and forms and len(forms[0]) == 1 and src not in forms:
            pairs[src] = forms[0]
    return pairs


TRADITIONAL_TO_SIMPLIFIED = str.maketrans(_opencc_pairs() | dict(zip(*SEEN_PAIRS, strict=True)))

# Middle dots seen in minority names (阿依古丽·买买提): OCR and typists use any of them.
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·", ".": "·"})


def fold(text: str, *, keep_spaces: bool = False) -> str:
    """The project's one fold: NFKC (full-width → ASCII, compatibility ideographs →
    unified), traditional forms mapped back to simplified ones, whitespace dropped
    unless ``keep_spaces`` (the extractors keep it where a position in a line matters).

    >>> fold("Ｓ０００ ０３６")
    'S000036'
    >>> fold("鷹潭市技工學校")
    '鹰潭市技工学校'
    >>> fold("ＡＢ １２（：", keep_spaces=True)
    'AB 12(:'
    """
    folded = unicodedata.normalize("NFKC", text).translate(TRADITIONAL_TO_SIMPLIFIED)
    if keep_spaces:
        return folded
    return "".join(ch for ch in folded if not ch.isspace())


def norm_number(text: str) -> str:
    """A certificate or ID number: folded, upper case, no separators.

    >>> norm_number(" s0000-36 ")
    'S000036'
    """
    return "".join(ch for ch in fold(text).upper() if ch.isalnum())


def norm_name(text: str) -> str:
    """A person's name as printed, whitespace removed, middle dots unified.

    >>> norm_name("阿依古丽 • 买买提")
    '阿依古丽·买买提'
    """
    return fold(text).translate(_NAME_DOTS)


def norm_label(text: str) -> str:
    """An agency, occupation or place name: folded, punctuation and symbols removed.

    Brackets are dropped rather than kept so that ``（`` vs ``(`` or a lost bracket
    in OCR never decides a match on its own.

    >>> norm_label("江西省 职业技能鉴定指导中心（南昌）")
    '江西省职业技能鉴定指导中心南昌'
    """
    return "".join(
        ch for ch in fold(text) if unicodedata.category(ch)[0] not in ("P", "Z", "C", "S")
    )
