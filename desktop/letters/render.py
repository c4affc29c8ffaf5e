"""Render a LetterDraft into a .docx through a template (docxtpl); report and annotation text goes in as data."""
from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from desktop.letters import styling as st
from desktop.letters.draft import LetterDraft, chinese_date, letter_blocks
from desktop.letters.template import build_default_template, default_template_path
from desktop.letters.wording import clean
from desktop.kernel.outfiles import failure_reason, write_atomic
from desktop.kernel import limits
from desktop.kernel.xmlbounds import DOCX_XML
from desktop.kernel.zipcheck import Limits, PackageError, check_package

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024


class LetterError(Exception):
    """The letter cannot be written (bad template, unwritable place); the message is one Chinese sentence."""

    def __init__(self, message: str, *, path=None):
        super().__init__(message)
        self.message, self.path = message, (str(path) if path is not None else None)

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
    docx = Limits(limits.MAX_DOCX_PARTS, limits.MAX_DOCX_UNPACKED, limits.MAX_DOCX_RATIO,
                  {"word/document.xml": limits.MAX_DOCX_XML}, DOCX_XML)
    try:
        names = check_package(io.BytesIO(data), docx, "模板文件")  # the reader's checks of a Word package
    except PackageError as exc:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise LetterError("不是 Word 文档（.docx）模板（旧版 .doc 请在 Word/WPS 中另存为 .docx）", path=path) from None
        raise LetterError(str(exc), path=path) from None
    if "word/document.xml" not in names:
        raise LetterError("不是 Word 文档（.docx）模板", path=path)
    return io.BytesIO(data)


class _Xml(str):
    """Ready WordprocessingML for a {{p body }} placeholder: Jinja's autoescape leaves it as it is."""

    def __html__(self) -> str:
        return str(self)


def body_xml(draft: LetterDraft) -> _Xml:
    """Opening, 一、二、三 with numbered opinions, the closing paragraph — every text escaped, in GB/T 9704 fonts."""
    fonts = {"h1": st.HEADING1_FONT, "h2": st.HEADING2_FONT}
    blocks = letter_blocks(draft)
    return _Xml("".join(st.paragraph_xml(text, fonts.get(kind, st.BODY_FONT), keep_next=n == len(blocks) - 1)
                        for n, (kind, text) in enumerate(blocks)))


class _Env(SandboxedEnvironment):
    """The sandbox, compiling each distinct template part once (100 letters from one template compile it once)."""

    @functools.lru_cache(maxsize=64)  # noqa: B019 — one environment per process, bounded cache
    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 — jinja's signature
        return super().from_string(source, globals, template_class)


@functools.lru_cache(maxsize=1)
def _env() -> _Env:
    return _Env(autoescape=True)


def render_letter(draft: LetterDraft, template=None) -> bytes:
    """The letter as .docx bytes. Jinja runs only over the template; every value from the library is data."""
    try:
        tpl = DocxTemplate(_template_source(template))
        context = {
            "office": clean(draft.office), "doc_no": clean(draft.doc_no), "title": clean(draft.title),
            "unit": clean(draft.unit), "date": chinese_date(draft.date), "report_title": clean(draft.report_title),
            "body": body_xml(draft),
        }
        tpl.render(context, jinja_env=_env(), autoescape=True)
        props = tpl.docx.core_properties  # what Word shows under 文件 → 信息
        props.title, props.author, props.last_modified_by = context["title"][:255], context["office"][:255], ""
        props.created = props.modified = dt.datetime.now()
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
    """Write the letter to `path` whole or not at all (desktop.kernel.outfiles: the folder must exist)."""
    data = render_letter(draft, template)
    try:
        return write_atomic(path, data)
    except OSError as exc:
        raise LetterError(failure_reason(exc, "Word/WPS"), path=path) from exc
