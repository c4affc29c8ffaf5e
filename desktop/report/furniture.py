"""Page furniture: toolbars, banners, breadcrumbs, path lines, separators and copy-site advertising, told
from prose a crawler ran them into."""
from __future__ import annotations

import re

from desktop.report.hanzi import simplified

# Page furniture: toolbars, accessibility switches, site banners, breadcrumbs. A toolbar's words anywhere in a
# line (each alternative opens with a character, so the regex engine skips to those characters) or its labels at
# the start of one; _toolbar_hits() reads both as one pattern would.
_TOOLBAR_WORDS = re.compile(r"加入收藏|【\s*打印\s*】|打印本页|关闭窗口|【\s*关闭|分享到|扫一扫|字号[:：]?\s*[【\[]?\s*大|"
                            r"农历|打印整页|关怀版|"
                            r"【\s*大\s*】|辅助线|背景颜色|网站地图|版权所有|ICP备|网站标识码|主办单位|技术支持|"
                            r"无障碍|简体\s*[|丨]\s*繁|繁體|上一篇|下一篇|返回顶部|打印\s*关闭")
_TOOLBAR_LABEL = re.compile(r"字体(?:大小)?[:：]|今天是[:：]")  # at the start of a line only
# Every match of BREADCRUMB holds 位置 or one of >＞», every match of _BANNER_DATE holds 星期 and every match of
# _PATH_LINE a slash or backslash: is_furniture tries them only on lines holding those (keep it so when editing).
BREADCRUMB = re.compile(r"^(您当前所在位置|当前位置|您的位置|你的位置|所在位置)|^首页\s*[>＞»]|[>＞»]\s*\S+\s*[>＞»]")
_BANNER_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天]")
LONE_FURNITURE = {"政府信息公开", "附件", "打印", "关闭", "分享", "信息公开", "字号", "大", "中", "小",
                  "【打印】", "【关闭】", "【大】【中】【小】"}

# A local file path (a saved copy's location) or a separator rule: never a title, never body text.
_PATH_LINE = re.compile(r"^(?:[A-Za-z]:[\\/]|file:/|\\\\|~?/(?:home|Users|tmp|mnt|var|media|data)/)|"
                        r"^[^\s。，]*[\\/][^\s。，]*\.(?:docx?|wps|pdf|txt|html?|shtml)$", re.I)
_SEPARATOR = re.compile(r"^[-=_—－─━*~·.。…]{3,}$")
# A copy site's own words around the text it reposts: '下面是小编为大家整理的…，供大家参考。' Dropped wherever it
# stands, without ending the body.
AD_LINE = re.compile(r"小编|为大家整理|供大家参考|仅供参考|欢迎阅读|欢迎下载|免费下载|文档下载|本文档|原创文档|全文阅读|"
                     r"来源[:：]\s*网友投稿|VIP|会员专享|付费")


def is_prose_block(line: str) -> bool:
    """Many sentences and little page furniture between the first and the last: prose, whatever a crawler ran
    into it; a footer of site credits has as many furniture words as sentences."""
    if len(line) <= 80:
        return False
    first, last = line.find("。"), line.rfind("。")
    if first < 0 or last == first:
        return False
    sentences = line.count("。", first, last + 1)
    furniture = 0
    for _ in _toolbar_hits(simplified(line[first:last])):
        furniture += 1
        if furniture * 4 > sentences:
            return False
    return True


def _toolbar_hits(line: str):
    """The toolbar words and labels in a line, left to right without overlaps, as one pattern of both would find
    them (a label opens the line, and no word matches where 字体 or 今天是 does)."""
    label = _TOOLBAR_LABEL.match(line)
    if label is not None:
        yield label
    yield from _TOOLBAR_WORDS.finditer(line, label.end() if label is not None else 0)


def _has_toolbar(line: str) -> bool:
    return _TOOLBAR_LABEL.match(line) is not None or _TOOLBAR_WORDS.search(line) is not None


def drop_toolbar_tail(line: str) -> str:
    """A run-on page's last line ends in its toolbar and footer: '…工作。【打印本页】【关闭窗口】版权所有…'."""
    end = max(line.rfind("。"), line.rfind("！"), line.rfind("？"))
    if 0 <= end < len(line) - 1 and _has_toolbar(simplified(line[end + 1:])) and is_prose_block(line):
        return line[:end + 1]
    return line


def is_toolbar(line: str, prose: bool | None = None) -> bool:
    """A toolbar or footer line; a long paragraph of prose never is, even with a crawler's '分享到' run into it."""
    return not (is_prose_block(line) if prose is None else prose) and _has_toolbar(simplified(line))


def is_furniture(line: str, prose: bool | None = None, toolbar: bool | None = None) -> bool:
    """Page furniture; `prose` is is_prose_block(line) and `toolbar` is_toolbar(line) when the caller knows them
    already."""
    if line in LONE_FURNITURE:
        return True
    if is_prose_block(line) if prose is None else prose:
        return False  # prose (a run-on page may hold page furniture too, but it is the body)
    line = simplified(line)
    # each pattern is tried only where a character every match of it holds is in the line
    return (_has_toolbar(line) if toolbar is None else toolbar) \
        or ("星期" in line and _BANNER_DATE.search(line) is not None) \
        or (("/" in line or "\\" in line) and _PATH_LINE.search(line) is not None) \
        or _SEPARATOR.match(line) is not None or (len(line) <= 120 and AD_LINE.search(line) is not None) \
        or ("。" not in line and _CRUMB_MARK.search(line) is not None and BREADCRUMB.search(line) is not None)


_CRUMB_MARK = re.compile("位置|[>＞»]")  # what every BREADCRUMB match holds
