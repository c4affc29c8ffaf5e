"""Render a LetterDraft into a .docx through a template (docxtpl); report and annotation text goes in as data."""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from desktop.letters import styling as st
from desktop.letters.draft import SECTION_TITLES, SECTIONS, LetterDraft, chinese_date
from desktop.letters.template import build_default_template, default_template_path
from desktop.letters.wording import clean

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_TEMPLATE_UNPACKED = 100 * 1024 * 1024
_CN_NUMBERS = "一二三四五六七八九十"


class LetterError(Exception):
    """The letter cannot be written (bad template, unwritable place); the message is one Chinese sentence."""

    def __init__(self, message: str, *, path=None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _template_source(template):
    """A file-like for docxtpl: the office's template (checked), the shipped one, or one built now."""
    if template is None:
        path = default_template_path()
        return io.BytesIO(path.read_bytes() if path else build_default_template())
    path = Path(template)
    if not path.is_file():
        raise LetterError("模板文件不存在", path=path)
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise LetterError("模板文件过大", path=path)
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if sum(i.file_size for i in zf.infolist()) > MAX_TEMPLATE_UNPACKED or len(names) > 2000:
                raise LetterError("模板文件解压后过大，已拒绝使用", path=path)
            if "word/document.xml" not in names:
                raise LetterError("不是 Word 文档（.docx）模板", path=path)
    except zipfile.BadZipFile:
        raise LetterError("不是 Word 文档（.docx）模板（旧版 .doc 请在 Word/WPS 中另存为 .docx）", path=path) from None
    return io.BytesIO(data)


def _body(sub, draft: LetterDraft) -> None:
    """Opening, 一、二、三 with numbered opinions, the closing paragraph — all runs in GB/T 9704 fonts."""
    def para(text="", font=st.BODY_FONT, indent=st.INDENT):
        p = sub.add_paragraph()
        st.style_paragraph(p, indent=indent)
        if text:
            st.add_text(p, text, font)
        return p

    para(clean(draft.opening))
    chapter = 0
    for section in SECTIONS:
        items = draft.section_items(section)
        if not items:
            continue
        para(f"{_CN_NUMBERS[chapter]}、{SECTION_TITLES[section]}", st.HEADING1_FONT)
        chapter += 1
        if section == "problems":
            groups = [("报告编写方面", [i for i in items if i.kind != "annotation"]),
                      ("具体内容方面", [i for i in items if i.kind == "annotation"])]
            groups = [g for g in groups if g[1]]
            for g, (name, group) in enumerate(groups):
                if len(groups) > 1:
                    para(f"（{_CN_NUMBERS[g]}）{name}", st.HEADING2_FONT)
                _items(para, group)
        else:
            _items(para, items)
    if clean(draft.closing):
        para(clean(draft.closing))


def _items(para, items) -> None:
    for n, item in enumerate(items, 1):
        p = para()
        st.add_text(p, f"{n}.")
        if item.kind == "annotation" and (item.quote or item.where):
            where = clean(item.where)
            quote = clean(item.quote)
            lead = "关于" + (f"{where}中" if where and quote else where)
            if quote:
                lead += f"“{quote}”的表述"
            st.add_text(p, lead + "：")
        st.add_text(p, clean(item.text))


def render_letter(draft: LetterDraft, template=None) -> bytes:
    """The letter as .docx bytes. Jinja runs only over the template; every value from the library is data."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    try:
        tpl = DocxTemplate(_template_source(template))
        sub = tpl.new_subdoc()
        _body(sub, draft)
        context = {
            "office": clean(draft.office), "doc_no": clean(draft.doc_no), "title": clean(draft.title),
            "unit": clean(draft.unit), "date": chinese_date(draft.date), "report_title": clean(draft.report_title),
            "body": sub,
        }
        tpl.render(context, jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
    except LetterError:
        raise
    except TemplateError as exc:
        raise LetterError(f"模板中的占位符有误（{exc.message or type(exc).__name__}）", path=template) from None
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise LetterError(f"模板无法使用（{type(exc).__name__}）", path=template) from None
    return buf.getvalue()


def write_letter(draft: LetterDraft, path, template=None) -> Path:
    """Write the letter to `path` atomically; a failure leaves no file behind."""
    data = render_letter(draft, template)
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".letter-", suffix=".docx", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        if not target.parent.is_dir():
            reason = "保存位置的文件夹不存在"
        elif isinstance(exc, PermissionError):
            reason = "没有写入权限，或文件正在 Word/WPS 中打开"
        else:
            reason = f"无法写入文件（{exc.strerror or exc}）"
        raise LetterError(reason, path=path) from exc
    return target
