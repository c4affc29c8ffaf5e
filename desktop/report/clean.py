"""Scraped page text -> clean report text: spaces normalised, page furniture and metadata blocks lifted out,
mirror-site damage repaired, a duplicated body kept once."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from desktop.report.hanzi import simplified
from desktop.report.titles import DATE_LINE, DOC_NO, ORG_SUFFIX, find_title, header_title, unglue_head
from desktop.report.headings import CHAPTER_NAMED, CHAPTER_RUN_ON, CHAPTER_SPACED, CHAPTER_START, CN, LOST_BREAK

# One-to-one character folding used for matching only: offsets in the folded text equal offsets in the
# clean text, so a match found in fold(text) slices the displayed text at the same place.
_FOLD_PAIRS = {
    "(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "!": "！", "?": "？",
    "％": "%", "﹪": "%", "．": ".", "＋": "+", "～": "~", "﹐": "，", "﹔": "；", "﹕": "：",
    "［": "〔", "］": "〕", "【": "〔", "】": "〕",
}
_FOLD_PAIRS.update({chr(0xFF10 + i): str(i) for i in range(10)})
_FOLD_ITEMS = tuple(_FOLD_PAIRS.items())


def fold(text: str) -> str:
    """Full-/half-width variants folded for matching; same length as `text`.

    Chained str.replace is several times faster than str.translate on CJK text. Traditional characters
    are folded to simplified too (one for one), so 法治政府建設 matches what 法治政府建设 matches."""
    for src, dst in _FOLD_ITEMS:
        if src in text:
            text = text.replace(src, dst)
    return simplified(text)


# CJK radicals that PDF text extraction often yields instead of the ideographs they look like (⼯ U+2F2F for 工).
_RADICALS = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in list(range(0x2F00, 0x2FD6)) + list(range(0x2E80, 0x2EF4))
             if unicodedata.normalize("NFKC", chr(c)) != chr(c)}
# The CJK Radicals Supplement has no compatibility mapping: the forms that stand for whole characters.
_RADICALS.update(zip("⺠⻔⻛⻅⻓⻚⻢⻋⻄⻝⻰⻤⻩⻬⻉⻆⻘⻨⻜⻦⻥⻳⺟⻑⻙⻭⻣⻡⻧⺩⺮⻁",
                     "民门风见长页马车西食龙鬼黄齐贝角青麦飞鸟鱼龟母长韦齿骨首卤王竹虎"))
_RADICAL_RE = re.compile("[" + "".join(_RADICALS) + "]")
_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})$")
_SENTENCE_END = "。！？：；!?:;"
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Pinyin glosses inserted by mirror sites after characters: 應(yīng)急 -> 應急.
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7})[)）]")
_TONED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")

# Page furniture: toolbars, accessibility switches, site banners, breadcrumbs.
_TOOLBAR = re.compile(r"加入收藏|【\s*打印\s*】|打印本页|关闭窗口|【\s*关闭|分享到|扫一扫|字号[:：]?\s*[【\[]?\s*大|^字体(?:大小)?[:：]|"
                      r"^今天是[:：]|农历|打印整页|关怀版|"
                      r"【\s*大\s*】|辅助线|背景颜色|网站地图|版权所有|ICP备|网站标识码|主办单位|技术支持|"
                      r"无障碍|简体\s*[|丨]\s*繁|繁體|上一篇|下一篇|返回顶部|打印\s*关闭")
_BREADCRUMB = re.compile(r"^(您当前所在位置|当前位置|您的位置|你的位置|所在位置)|^首页\s*[>＞»]|[>＞»]\s*\S+\s*[>＞»]")
_BANNER_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天]")
_LONE_FURNITURE = {"政府信息公开", "附件", "打印", "关闭", "分享", "信息公开", "字号", "大", "中", "小",
                   "【打印】", "【关闭】", "【大】【中】【小】"}

# Metadata labels (spaces between characters allowed: 索 引 号) -> field name.
_LABELS = {
    "信息索引号": "index_no", "索引号": "index_no", "统一编号": "unified_no", "文件编号": "doc_no",
    "备注/文号": "doc_no", "发文字号": "doc_no", "发文文号": "doc_no", "文号": "doc_no",
    "责任部门": "department", "发布机构": "publisher", "制发机构": "publisher", "发文机关": "publisher",
    "发文单位": "publisher", "所属机构": "publisher", "公开形式": "disclosure", "公开方式": "disclosure",
    "公开范围": "scope", "公开时限": "retention", "发布时间": "published", "发布日期": "published",
    "生成日期": "generated", "成文日期": "written", "印发日期": "written", "时间": "time", "日期": "time",
    "来源": "source", "信息来源": "source", "文章来源": "source", "稿件来源": "source", "更新时间": "updated",
    "发布单位": "publisher", "发文日期": "written", "点击率": "clicks", "浏览次数": "clicks", "访问量": "clicks",
    "阅读次数": "clicks", "主题分类": "topic", "体裁分类": "genre", "组配分类": "topic", "有效性": "validity",
    "登记号": "reg_no", "标题": "page_title", "名称": "page_title", "主题词": "keywords", "关键词": "keywords",
    "信息提供日期": "published", "提供日期": "published", "发稿时间": "published", "发文时间": "written",
    "文件分类": "topic", "信息分类": "topic", "字体": "toolbar", "视力保护色": "toolbar", "背景色": "toolbar",
}
_GENERIC = {"时间", "日期", "来源", "标题", "名称"}  # need a colon, bracket or bar after them
_LABEL_ALT = "|".join(r"\s*".join(map(re.escape, lab)) for lab in sorted(_LABELS, key=len, reverse=True))
_LABEL_RE = re.compile(rf"(?:^|(?<=[\s|\]】\[【•·]))[\[【]?\s*(?P<lab>{_LABEL_ALT})\s*(?P<sep>[:：]|[\]】]|\||(?=\s)|$)"
                       # a label glued to the previous value ('区司法局发布时间:2025-11-07') needs its colon
                       rf"|(?P<glued>{'|'.join(lab for lab in sorted(_LABELS, key=len, reverse=True) if len(lab) >= 4)})[:：]"
                       # any label glued to a date or number before it ('日期:2025-01-24来源:区司法局')
                       rf"|(?<=\d)(?P<glued_short>{'|'.join(sorted(_LABELS, key=len, reverse=True))})[:：]")
_BULLET = re.compile(r"^[•·●▪■◆◇○\-–*]+\s*")
_DOC_NO, _DATE_LINE = DOC_NO, DATE_LINE
_ISO_DATE_LINE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_CHAPTER_START = CHAPTER_START


@dataclass
class Cleaned:
    text: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # metadata label values in page order
    header_lines: list[str] = field(default_factory=list)  # lines before the body, dropped ones included
    title: str | None = None
    channel: str | None = None
    date_lines: list[str] = field(default_factory=list)  # standalone dates before the first chapter
    end_matter: int = -1  # offset where the sign-off / attachment list at the end starts (-1: none)
    signed_date: str | None = None  # the date of the sign-off (落款), if any
    signed_by: str | None = None  # the issuing body named in the sign-off, if any
    doc_no_lines: list[str] = field(default_factory=list)  # standalone document numbers before the body
    repairs: list[str] = field(default_factory=list)  # what was repaired, for warnings


def normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    if _RADICAL_RE.search(line):
        line = _RADICAL_RE.sub(lambda m: _RADICALS[m.group(0)], line)
    line = _SPACES.sub(" ", line)
    line = _CONTROL.sub("", line)
    return line.strip()


# A local file path (a saved copy's location) or a separator rule: never a title, never body text.
_PATH_LINE = re.compile(r"^(?:[A-Za-z]:[\\/]|file:/|\\\\|~?/(?:home|Users|tmp|mnt|var|media|data)/)|"
                        r"^[^\s。，]*[\\/][^\s。，]*\.(?:docx?|wps|pdf|txt|html?|shtml)$", re.I)
_SEPARATOR = re.compile(r"^[-=_—－─━*~·.。…]{3,}$")
# A copy site's own words around the text it reposts: '下面是小编为大家整理的…，供大家参考。' Dropped wherever it
# stands, without ending the body.
_AD_LINE = re.compile(r"小编|为大家整理|供大家参考|仅供参考|欢迎阅读|欢迎下载|免费下载|文档下载|本文档|原创文档|全文阅读|"
                      r"来源[:：]\s*网友投稿|VIP|会员专享|付费")


def _is_prose_block(line: str) -> bool:
    """Many sentences and little page furniture between the first and the last: prose, whatever a crawler ran
    into it; a footer of site credits has as many furniture words as sentences."""
    if len(line) <= 80:
        return False
    first, last = line.find("。"), line.rfind("。")
    if first < 0 or last == first:
        return False
    sentences = line.count("。", first, last + 1)
    furniture = 0
    for _ in _TOOLBAR.finditer(simplified(line[first:last])):
        furniture += 1
        if furniture * 4 > sentences:
            return False
    return True


def _drop_toolbar_tail(line: str) -> str:
    """A run-on page's last line ends in its toolbar and footer: '…工作。【打印本页】【关闭窗口】版权所有…'."""
    end = max(line.rfind("。"), line.rfind("！"), line.rfind("？"))
    if 0 <= end < len(line) - 1 and _TOOLBAR.search(simplified(line[end + 1:])) and _is_prose_block(line):
        return line[:end + 1]
    return line


def _is_toolbar(line: str, prose: bool | None = None) -> bool:
    """A toolbar or footer line; a long paragraph of prose never is, even with a crawler's '分享到' run into it."""
    return _TOOLBAR.search(simplified(line)) is not None and not (_is_prose_block(line) if prose is None else prose)


def _is_furniture(line: str, prose: bool | None = None) -> bool:
    """Page furniture; `prose` is _is_prose_block(line) when the caller knows it already."""
    if line in _LONE_FURNITURE:
        return True
    if _is_prose_block(line) if prose is None else prose:
        return False  # prose (a run-on page may hold page furniture too, but it is the body)
    line = simplified(line)
    if _TOOLBAR.search(line) or _BANNER_DATE.search(line):
        return True
    if _PATH_LINE.search(line) or _SEPARATOR.match(line) or (len(line) <= 120 and _AD_LINE.search(line)):
        return True
    return bool(_BREADCRUMB.search(line)) and "。" not in line


def parse_meta_line(line: str) -> list[tuple[str, str]] | None:
    """Label/value pairs of a metadata line, or None when the line is not one."""
    body = _BULLET.sub("", line).strip()
    if not body or "。" in body or len(body) > 200:
        return None
    key = simplified(body)  # 發布時間 is 发布时间; values are sliced from the line as printed
    matches = [m for m in _LABEL_RE.finditer(key)]
    if not matches or body[: matches[0].start()].strip(" [【|•·"):
        return None
    pairs: list[tuple[str, str]] = []
    for i, m in enumerate(matches):
        lab = re.sub(r"\s+", "", m.group("lab") or m.group("glued") or m.group("glued_short"))
        if lab in _GENERIC and m.group("lab") and m.group("sep") not in (":", "：", "]", "】", "|"):
            if i == 0:
                return None
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        value = body[m.end():end].strip(" :：[]【】|•·")
        pairs.append((_LABELS[lab], value))
    return pairs or None


def _looks_like_prose(line: str) -> bool:
    return len(line) >= 25 and bool(re.search(r"[。，,；;：]", line))


def _remove_glosses(text: str, repairs: list[str]) -> str:
    hits = _GLOSS.findall(text)
    if len(hits) >= 3 and sum(1 for h in hits if _TONED.search(h)) >= 2:
        repairs.append(f"删除了镜像站插入的拼音注音 {len(hits)} 处")
        return _GLOSS.sub("", text)
    return text


def clean(raw: str) -> Cleaned:
    """Split a page into metadata, furniture and the report body; see module docstring."""
    repairs: list[str] = []
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    raw = _remove_glosses(raw, repairs)
    raw = unglue_head(raw, repairs)
    lines = _join_hard_wraps([normalise_line(ln) for ln in raw.split("\n")], repairs)
    lines = [_drop_toolbar_tail(ln) for ln in lines]
    prose = [_is_prose_block(ln) for ln in lines]
    n = len(lines)

    # Where the body starts: the first prose paragraph or chapter heading that is not metadata.
    body_start = n
    for i, ln in enumerate(lines):
        if ln and not _is_furniture(ln, prose[i]) and parse_meta_line(ln) is None and (
                _looks_like_prose(ln) or _CHAPTER_START.match(ln)):
            body_start = i
            break
    # Where it ends: the first toolbar line after the start.
    body_end = n
    for i in range(body_start, n):
        if lines[i] and _is_toolbar(lines[i], prose[i]):
            body_end = i
            break

    fields: dict[str, list[str]] = {}
    kept: list[int] = []
    consumed: set[int] = set()
    header_lines: list[str] = []
    doc_no_lines: list[str] = []
    for i, ln in enumerate(lines):
        if not ln or i in consumed:
            continue
        in_body = body_start <= i < body_end
        if i < body_start:
            header_lines.append(ln)
        if _is_furniture(ln, prose[i]):
            if not in_body or _is_toolbar(ln, prose[i]) or ln in _LONE_FURNITURE or _AD_LINE.search(ln):
                continue
        if not in_body:
            pairs = parse_meta_line(ln)
            if pairs is not None:
                _take_pairs(pairs, lines, i, fields, consumed)
                continue
            if _DOC_NO.match(simplified(ln)) and i < body_start:
                doc_no_lines.append(ln)
        kept.append(i)

    title, channel, kept = _title_and_channel(lines, kept, body_start, header_lines, fields, repairs)
    kept = _drop_trailing_copy(lines, kept, body_end, repairs)
    paragraphs = _dedupe([lines[i] for i in kept], repairs)
    paragraphs = _split_lost_breaks(paragraphs, repairs)
    text = "\n".join(paragraphs)
    date_lines: list[str] = []
    for p in paragraphs:
        if _CHAPTER_START.match(p):
            break
        if _DATE_LINE.match(p):
            date_lines.append(p)
    date_lines += [ln for ln in header_lines if _ISO_DATE_LINE.match(ln)]  # '2024-03-28' alone under the title
    end_matter, signed_date, signed_by = _end_matter(paragraphs)
    return Cleaned(text=text, fields=fields, header_lines=header_lines, end_matter=end_matter, signed_date=signed_date,
                   signed_by=signed_by, title=title, channel=channel,
                   date_lines=date_lines, doc_no_lines=doc_no_lines, repairs=repairs)


def _title_and_channel(lines, kept, body_start, header_lines, fields, repairs):
    """The title (page lines above it are furniture; the last short one names the site's channel) and the lines
    kept after it."""
    title_idx, joined = find_title(lines, kept)
    if joined is not None:  # a title printed over two lines becomes one line of the clean text
        lines[title_idx] = lines[title_idx] + lines[joined]
        kept = [i for i in kept if i != joined]
        repairs.append("合并了分两行排印的标题")
    channel = None
    above = [i for i in kept if title_idx is not None and i < title_idx]
    if above and title_idx < body_start and len(above) <= 3 and all(
            len(lines[i]) <= 40 and not re.search(r"[。；]", lines[i]) for i in above):
        last = lines[above[-1]]
        if len(last) <= 30 and not re.search(r"\d", last):
            channel = last
        kept = [i for i in kept if i >= title_idx]
    if channel is None:
        crumbs = [ln for ln in header_lines if _BREADCRUMB.search(ln)]
        if crumbs:
            channel = re.split(r"[>＞»]", crumbs[0])[-1].strip() or None
    title = lines[title_idx] if title_idx is not None else header_title(fields)
    return title, channel, kept


_SIGNOFF_ORG = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}(?:{ORG_SUFFIX}|公司|街道|乡|镇)$")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[：:]?")


def _end_matter(paragraphs: list[str]) -> tuple[int, str | None, str | None]:
    """Where the sign-off (organisation, date) and attachment list at the end of a report begin; the sign-off's
    date and issuing body."""
    i = len(paragraphs)
    signed = org = None
    while i > 0:
        p = paragraphs[i - 1]
        key = simplified(p)
        if _DATE_LINE.match(p):
            signed = signed or p
        elif key.split() and all(_SIGNOFF_ORG.match(part) for part in key.split()):
            if signed and not org:  # a joint sign-off (党委 政府) names both, as a joint title does
                org = "".join(p.split())
        elif not (_ATTACHMENT.match(p) or (p.startswith("（") and p.endswith("）") and len(p) <= 20)):
            break
        i -= 1
    # an attachment list may run over several numbered lines: '附件：1.…' then '2.…'
    j = i
    while j > 0 and len(paragraphs[j - 1]) <= 40 and not re.search(r"[。；]$", paragraphs[j - 1]):
        if _ATTACHMENT.match(paragraphs[j - 1]):
            i = j - 1
            break
        j -= 1
    if i == len(paragraphs) or i == 0:
        return -1, None, None
    return sum(len(p) + 1 for p in paragraphs[:i]), signed, org


_HEADING_START = re.compile(r"[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十]+[部章]")


def _join_hard_wraps(lines: list[str], repairs: list[str]) -> list[str]:
    """Text wrapped at a fixed width (PDF, some exports): rejoin lines cut mid-sentence; drop page numbers.

    Linear in the text: a line being rejoined is kept as pieces with running facts (_Wrapped), never re-read."""
    lengths = sorted(len(ln) for ln in lines if len(ln) >= 10)
    if len(lengths) < 8:
        return lines
    width = lengths[int(len(lengths) * 0.9) - 1]
    full = [ln for ln in lines if len(ln) >= 0.85 * width]
    cut = [ln for ln in full if ln[-1] not in _SENTENCE_END]
    if width < 20 or len(full) < 6 or len(cut) < 0.3 * len(full) or len(full) < 0.3 * len(lengths):
        return lines
    out: list[str] = []
    last: _Wrapped | None = None  # the last output line, still growing
    joins = 0
    page_break = False  # a page number was dropped right after `last`
    for ln in lines:
        if _PAGE_NUMBER.match(ln):
            page_break = last is not None
            continue
        if page_break and ln and last is not None and last.endswith(ln):
            page_break = False
            continue  # the line repeated at the top of the next page
        if ln:
            page_break = False
        if last is not None and ln and last.takes(ln, width):
            last.add(ln)
            joins += 1
            continue
        if last is not None:
            out.append(last.text())
        last = _Wrapped(ln)
    if last is not None:
        out.append(last.text())
    if joins:
        repairs.append(f"合并了按页宽折断的行 {joins} 处")
    return out


_MID_MARKS = re.compile(r"[，、。；]")
_CHAPTER_HEADING = re.compile(r"[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]+[部章]")
_STOPS = ("。", "！", "？", "!", "?")
_ENDS = re.compile("[" + re.escape(_SENTENCE_END) + "]")


class _Wrapped:
    """A line rejoined from wrapped pieces: what the join rule asks of it, kept up to date as pieces arrive."""

    __slots__ = ("pieces", "length", "head", "marks", "marks_before_last", "ended", "last")

    def __init__(self, first: str):
        self.pieces = [first]
        self.length = len(first)
        self.head = first[:24]  # enough for _HEADING_START, which matches at the start
        m = _MID_MARKS.search(first)
        self.marks = m is not None
        self.marks_before_last = m is not None and m.start() < len(first) - 1
        self.ended = _ENDS.search(first) is not None  # a sentence ends somewhere in the line
        self.last = first

    def add(self, piece: str) -> None:
        if self.marks:
            self.marks_before_last = True
        else:
            m = _MID_MARKS.search(piece)
            self.marks = m is not None
            self.marks_before_last = m is not None and m.start() < len(piece) - 1
        self.ended = self.ended or _ENDS.search(piece) is not None
        self.pieces.append(piece)
        self.length += len(piece)
        if len(self.head) < 24:
            self.head = (self.head + piece)[:24]
        self.last = piece

    def takes(self, ln: str, width: int) -> bool:
        """Does `ln` continue this line? (It was cut at the page width or split off by the extractor.)"""
        end = self.last[-1:]
        heading = _HEADING_START.match(self.head)
        if self.length >= 0.85 * width:  # a line that fills the width goes on unless it ends a sentence
            broken = end not in _STOPS
        else:  # a shorter piece of prose the extractor split off (not a heading, a label or a title)
            broken = self.marks_before_last and end not in _SENTENCE_END and not heading
        if not broken or _HEADING_START.match(ln):
            return False
        if heading and not self.ended and _CHAPTER_HEADING.match(self.head):
            # A chapter heading stands on its own line: it takes the short tail of its own title, never the
            # first line of its body (sub-headings such as （一） often run on into their paragraph).
            return len(ln) < 0.85 * width and not any(ch in _STOPS for ch in ln)
        return True

    def endswith(self, s: str) -> bool:
        tail: list[str] = []
        size = 0
        for piece in reversed(self.pieces):
            tail.append(piece)
            size += len(piece)
            if size >= len(s):
                break
        return "".join(reversed(tail)).endswith(s)

    def text(self) -> str:
        return "".join(self.pieces)


def _take_pairs(pairs, lines, i, fields, consumed) -> None:
    """Record label/value pairs; a label alone on its line takes the next non-blank value line."""
    if len(pairs) == 1 and not pairs[0][1]:
        j = i + 1
        while j < len(lines) and not lines[j]:
            j += 1
        if j < len(lines):
            cand = _BULLET.sub("", lines[j]).strip()
            if cand and parse_meta_line(lines[j]) is None and len(cand) <= 80 and "。" not in cand \
                    and not _CHAPTER_START.match(cand) and not _is_furniture(cand):
                pairs = [(pairs[0][0], cand)]
                consumed.add(j)
    for key, value in pairs:
        if value:
            fields.setdefault(key, []).append(value)


_SENTENCE_KEY = re.compile(r"[^。！？；\n]{8,}[。！？；]")


def _sentence_ends(text: str) -> list[str]:
    """The last 16 characters of each sentence: the same in a copy whose headings ran into its sentences."""
    return [m[-16:] for m in _SENTENCE_KEY.findall(fold(text))]


def _drop_trailing_copy(lines: list[str], kept: list[int], body_end: int, repairs: list[str]) -> list[int]:
    """After the page's toolbar, a second copy of the body laid out differently (the first one run on one line):
    when most of its sentences were already read, the tail is that copy and its lines are dropped, headings too."""
    tail = [i for i in kept if i >= body_end]
    if not tail or body_end >= len(lines):
        return kept
    seen = set(_sentence_ends("\n".join(lines[i] for i in kept if i < body_end)))
    sentences = _sentence_ends("\n".join(lines[i] for i in tail))
    total = sum(map(len, sentences))
    repeated = sum(len(x) for x in sentences if x in seen)
    if total < 200 or repeated < 0.8 * total:
        return kept
    repairs.append("删除了页面下方重复出现的正文")
    # what the copy does not repeat stays: a line with a sentence of its own ('附：补充说明一段。')
    return [i for i in kept if i < body_end or any(x not in seen for x in _sentence_ends(lines[i]))]


def _dedupe(paragraphs: list[str], repairs: list[str]) -> list[str]:
    """Drop a repeated copy of the body (runs of paragraphs seen before) and immediate repeats."""
    seen: set[str] = set()
    dup = []
    for p in paragraphs:
        key = re.sub(r"\s+", "", fold(p))
        dup.append(key in seen)
        seen.add(key)
    out: list[str] = []
    i = 0
    dropped = 0
    while i < len(paragraphs):
        if dup[i]:
            j = i
            while j < len(paragraphs) and dup[j]:
                j += 1
            run = paragraphs[i:j]
            if j - i >= 3 or sum(map(len, run)) >= 120 or (out and re.sub(r"\s+", "", fold(out[-1])) ==
                                                             re.sub(r"\s+", "", fold(paragraphs[i]))):
                dropped += j - i
                i = j
                continue
            out.extend(run)
            i = j
            continue
        out.append(paragraphs[i])
        i += 1
    if dropped >= 3:
        repairs.append(f"删除了重复出现的正文 {dropped} 段")
    return out


# A sign-off run into the last sentence of a run-on body: '…提供法治保障。某县人民政府2024年2月6日'.
_GLUED_SIGNOFF = re.compile(rf"(?<=[。！？])\s*(?=[\u4e00-\u9fff（）() ]{{2,40}}?(?:{ORG_SUFFIX})\s*"
                            r"(?:\d{4}|[〇零一二三四五六七八九○]{4})\s*年[\d一二三四五六七八九十]{1,3}\s*月[\d一二三四五六七八九十]{1,3}\s*日$)")


def _split_lost_breaks(paragraphs: list[str], repairs: list[str]) -> list[str]:
    """Put back line breaks a mirror site or a crawler lost before headings: '…成效。二、存在的问题（一）…',
    '…报告如下：一、主要工作（一）加强组织领导…二、存在问题 与此同时…', and before a sign-off at the end."""
    out: list[str] = []
    splits = 0
    for k, p in enumerate(paragraphs):
        f = fold(p)
        cuts = [(m.start(), m.end()) for m in LOST_BREAK.finditer(f)] if len(p) > 60 else []
        if k == len(paragraphs) - 1 and len(p) > 60:
            cuts += [(m.start(), m.end()) for m in _GLUED_SIGNOFF.finditer(f)]
            for m in _GLUED_SIGNOFF.finditer(f):  # and the date after the organisation
                date = re.search(r"(?:\d{4}|[〇零一二三四五六七八九○]{4})\s*年[\d一二三四五六七八九十]{1,3}\s*月", f[m.start():])
                if date and date.start() > 0:
                    cuts.append((m.start() + date.start(), m.start() + date.start()))
            cuts.sort()
        prev = 0
        for a, b in cuts + [(len(p), len(p))]:
            piece = p[prev:a].strip()
            fp = fold(piece) if piece[:1] in CN else ""  # only a chapter heading can run into its body
            run_on = CHAPTER_RUN_ON.match(fp) or ((CHAPTER_SPACED.match(fp) or CHAPTER_NAMED.match(fp)) if cuts else None)
            if run_on and len(piece) > run_on.end() + 4:
                out.extend((piece[:run_on.end()], piece[run_on.end():].strip()))
                splits += 1
            elif piece:
                out.append(piece)
            prev = b
        splits += len(cuts)
    if splits:
        repairs.append(f"恢复了丢失的换行 {splits} 处")
    return out
