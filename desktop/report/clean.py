"""Scraped page text -> clean report text: spaces normalised, page furniture and metadata blocks lifted out,
mirror-site damage repaired, a duplicated body kept once."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from desktop.report.furniture import (AD_LINE, BREADCRUMB, LONE_FURNITURE, drop_toolbar_tail, is_furniture,
                                      is_prose_block, is_toolbar)
from desktop.report.hanzi import simplified
from desktop.report.headings import CHAPTER_NAMED, CHAPTER_RUN_ON, CHAPTER_SPACED, CHAPTER_START, CN, LOST_BREAK
from desktop.report.lexicon import MONTH_DAY_NUMBER, YEAR_NUMBER
from desktop.report.normalise import fold, normalise_line, remove_glosses
from desktop.report.owners import OWNER_LINE
from desktop.report.titles import DATE_LINE, DOC_NO, ORG_SUFFIX, find_title, header_title, issued_name, unglue_head
from desktop.report.wraps import join_hard_wraps

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
    # an archive crawl's header block: 标题 / 发布时间 / 文号 / 发布机构 / 栏目 / 原文链接 / 本地目录, then 正文
    "栏目": "channel", "所属栏目": "channel", "原文链接": "url", "原文地址": "url", "本地目录": "local_path",
    "本地路径": "local_path",
}
_BODY_MARK = re.compile(r"^[【\[]?\s*正\s*文\s*[】\]]?\s*[:：]?$")  # the archive header's last line, before the body
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


_SPACES = re.compile(r"\s+")


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
        lab = _SPACES.sub("", m.group("lab") or m.group("glued") or m.group("glued_short"))
        if lab in _GENERIC and m.group("lab") and m.group("sep") not in (":", "：", "]", "】", "|"):
            if i == 0:
                return None
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        value = body[m.end():end].strip(" :：[]【】|•·")
        pairs.append((_LABELS[lab], value))
    return pairs or None


_PROSE_MARK = re.compile(r"[。，,；;：]")


def _looks_like_prose(line: str) -> bool:
    return len(line) >= 25 and bool(_PROSE_MARK.search(line))


def _body_bounds(lines: list[str], prose: list[bool]) -> tuple[int, int]:
    """Where the body starts (the first prose paragraph or chapter heading that is not metadata) and ends (the
    first toolbar line after the start); len(lines) for either when there is none."""
    n = len(lines)
    body_start = n
    for i, ln in enumerate(lines):
        if ln and not is_furniture(ln, prose[i]) and parse_meta_line(ln) is None and (
                _looks_like_prose(ln) or _CHAPTER_START.match(ln)):
            body_start = i
            break
    body_end = n
    for i in range(body_start, n):
        if lines[i] and is_toolbar(lines[i], prose[i]):
            body_end = i
            break
    return body_start, body_end


def clean(raw: str) -> Cleaned:
    """Split a page into metadata, furniture and the report body; see module docstring."""
    repairs: list[str] = []
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    raw = remove_glosses(raw, repairs)
    raw = unglue_head(raw, repairs)
    lines = join_hard_wraps([normalise_line(ln) for ln in raw.split("\n")], repairs)
    lines = [drop_toolbar_tail(ln) for ln in lines]
    prose = [is_prose_block(ln) for ln in lines]
    body_start, body_end = _body_bounds(lines, prose)

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
        if is_furniture(ln, prose[i]):
            if not in_body or is_toolbar(ln, prose[i]) or ln in LONE_FURNITURE or AD_LINE.search(ln):
                continue
        if not in_body:
            if _BODY_MARK.match(ln):
                continue
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


_DIGIT = re.compile(r"\d")
_SENTENCE_MARK = re.compile(r"[。；]")
_BREADCRUMB_MARK = re.compile(r"[>＞»]")


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
            len(lines[i]) <= 40 and not _SENTENCE_MARK.search(lines[i]) for i in above):
        last = lines[above[-1]]
        if len(last) <= 30 and not _DIGIT.search(last):
            channel = last
        kept = [i for i in kept if i >= title_idx]
    if channel is None:
        crumbs = [ln for ln in header_lines if BREADCRUMB.search(ln)]
        if crumbs:
            channel = _BREADCRUMB_MARK.split(crumbs[0])[-1].strip() or None
    title = lines[title_idx] if title_idx is not None else header_title(fields)
    archived = header_title(fields) if ("local_path" in fields or "url" in fields) else None
    if archived and (title is None or _SPACES.sub("", title) != _SPACES.sub("", archived)):
        title = archived  # an archive crawl's header names the document; a line of its body may only look like it
    if title is None:  # a notice that issues a plan is named by the plan: 关于印发《…工作要点》的通知
        title = issued_name(fields.get("page_title", []) + [lines[i] for i in kept[:12]])
    if channel is None and fields.get("channel"):
        channel = fields["channel"][0]
    return title, channel, kept


_SIGNOFF_ORG = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}(?:{ORG_SUFFIX}|公司|街道|乡|镇)$")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[：:]?")
# A line of a document's close that is no part of the report: whom copies go to, whom to call.
_CLOSING_LINE = re.compile(r"^[（(]?\s*(?:抄\s*送|抄\s*报|联\s*系\s*人|联系电话|联系方式)\s*[：:]")


_SENTENCE_AT_END = re.compile(r"[。；]$")


def _end_matter(paragraphs: list[str]) -> tuple[int, str | None, str | None]:
    """Where the sign-off (organisation, date), attachment list and copy or contact lines at the end of a report
    begin; the sign-off's date and issuing body. A short bracketed line there is end matter ('（此件公开发布）'),
    an owner line is not."""
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
        elif OWNER_LINE.match(key):
            break  # '（责任单位：市司法局）' under the last plan task gives its owners: the plans go on to here
        elif not (_ATTACHMENT.match(p) or _CLOSING_LINE.match(key) or
                  (p.startswith("（") and p.endswith("）") and len(p) <= 20)):
            break
        i -= 1
    # an attachment list may run over several numbered lines: '附件：1.…' then '2.…'
    j = i
    while j > 0 and len(paragraphs[j - 1]) <= 40 and not _SENTENCE_AT_END.search(paragraphs[j - 1]):
        if _ATTACHMENT.match(paragraphs[j - 1]):
            i = j - 1
            break
        j -= 1
    if i == len(paragraphs) or i == 0:
        return -1, None, None
    return sum(len(p) + 1 for p in paragraphs[:i]), signed, org


def _take_pairs(pairs, lines, i, fields, consumed) -> None:
    """Record label/value pairs; a label alone on its line takes the next non-blank value line."""
    if len(pairs) == 1 and not pairs[0][1]:
        j = i + 1
        while j < len(lines) and not lines[j]:
            j += 1
        if j < len(lines):
            cand = _BULLET.sub("", lines[j]).strip()
            if cand and parse_meta_line(lines[j]) is None and len(cand) <= 80 and "。" not in cand \
                    and not _CHAPTER_START.match(cand) and not is_furniture(cand):
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
        key = _SPACES.sub("", fold(p))
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
            if j - i >= 3 or sum(map(len, run)) >= 120 or (out and _SPACES.sub("", fold(out[-1])) ==
                                                             _SPACES.sub("", fold(paragraphs[i]))):
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
                            rf"{YEAR_NUMBER}\s*年{MONTH_DAY_NUMBER}\s*月{MONTH_DAY_NUMBER}\s*日$)")

_SIGNOFF_DATE = re.compile(rf"{YEAR_NUMBER}\s*年{MONTH_DAY_NUMBER}\s*月")  # the date after a glued sign-off's body


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
                date = _SIGNOFF_DATE.search(f[m.start():])
                if date and date.start() > 0:
                    cuts.append((m.start() + date.start(), m.start() + date.start()))
            cuts.sort()
        prev = 0
        for a, b in cuts + [(len(p), len(p))]:
            piece = p[prev:a].strip()
            # only a chapter heading can run into its body
            fp = fold(piece) if piece[:1] in CN or piece.startswith("第") else ""
            run_on = CHAPTER_RUN_ON.match(fp) or ((CHAPTER_SPACED.match(fp) or CHAPTER_NAMED.match(fp)) if cuts else None)
            if run_on and len(piece) > run_on.end() + 4:
                out.extend((piece[:run_on.end()], piece[run_on.end():].strip().lstrip("：:").strip()))
                splits += 1
            elif piece:
                out.append(piece)
            prev = b
        splits += len(cuts)
    if splits:
        repairs.append(f"恢复了丢失的换行 {splits} 处")
    return out
