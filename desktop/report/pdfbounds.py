"""What a PDF's text extraction will cost, bounded before it runs: decoded content size checked before any
operator is scanned, operators counted without building lists, and form XObjects followed at every depth,
each counted as many times as it is drawn (a form drawn 1,000 times is extracted 1,000 times)."""
from __future__ import annotations

import contextlib
import re

from desktop.kernel import limits
from desktop.report.model import ReportError

_PDF_OPERATOR = re.compile(rb"(?<![A-Za-z0-9/#.+\-])[A-Za-z'\"*]{1,3}(?![A-Za-z0-9])")
_TEXT_OPS = re.compile(rb"T[jJ]")
_DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do(?![A-Za-z0-9])")
_SLICE = 1 << 20
MAX_FORM_DEPTH = 12  # forms inside forms; real files nest 1-3 deep


def decode_limits():
    """pypdf's own decoding limits set to ours while a PDF is read (a stream that inflates past the content
    limit stops there instead of being decoded whole); a no-op on a pypdf without configuration."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # pragma: no cover - pypdf before 7
        return contextlib.nullcontext()
    cap = limits.MAX_PDF_CONTENT + 1
    return apply_configuration(zlib_maximum_output_length=cap, lzw_maximum_output_length=cap,
                               run_length_maximum_output_length=cap, brotli_maximum_output_length=cap)


def check_pdf_content(reader, name: str) -> None:
    """Refuse (ReportError) a PDF whose content streams, with every form they draw, exceed the limits."""
    budget = _Budget(name)
    for number, page in enumerate(reader.pages, 1):
        budget.page = number
        ops, shown = budget.cost(_streams(page.get("/Contents")), _resources(page), ())
        budget.ops += ops
        budget.shown += shown
        budget.check_ops()


def _resources(obj):
    res = obj.get("/Resources")
    res = res.get_object() if res is not None else None
    return res if hasattr(res, "get") else None


def _streams(contents) -> list:
    contents = contents.get_object() if contents is not None else None
    if contents is None:
        return []
    return [c.get_object() for c in contents] if isinstance(contents, list) else [contents]


class _Budget:
    def __init__(self, name: str):
        self.name = name or None
        self.page = 0
        self.size = self.ops = self.shown = 0
        self.memo: dict[int, tuple[int, int]] = {}  # id of a form -> (ops, shown) with everything it draws

    def fail(self, message: str):
        raise ReportError(f"{message}（第 {self.page} 页）", source=self.name)

    def check_ops(self, ops: int | None = None, shown: int | None = None) -> None:
        ops = self.ops if ops is None else ops
        shown = self.shown if shown is None else shown
        if ops > limits.MAX_PDF_OPS or shown > limits.MAX_PDF_TEXT_OPS:
            self.fail(f"PDF 内容流的绘制指令超过上限（{limits.MAX_PDF_OPS} 条，其中文字指令 "
                      f"{limits.MAX_PDF_TEXT_OPS} 条，嵌套的表单按绘制次数计）")

    def data(self, stream) -> bytes:
        """A stream's decoded bytes; the running size is checked before anything scans them."""
        if not hasattr(stream, "get_data"):
            return b""
        data = stream.get_data()
        self.size += len(data)
        if self.size > limits.MAX_PDF_CONTENT:
            self.fail(f"PDF 内容流解开后超过上限 {limits.describe(limits.MAX_PDF_CONTENT)}")
        return data

    def cost(self, streams, resources, path: tuple) -> tuple[int, int]:
        """(operators, text operators) of `streams` drawn once, forms they draw included at every depth."""
        ops = shown = 0
        draws: dict[bytes, int] = {}
        for stream in streams:
            data = self.data(stream)
            for i in range(0, len(data), _SLICE):  # counted slice by slice: no list of every operator
                part = data[i:i + _SLICE]
                ops += _PDF_OPERATOR.subn(b"", part)[1]
                shown += _TEXT_OPS.subn(b"", part)[1]
                self.check_ops(self.ops + ops, self.shown + shown)
            if b"Do" in data:
                for m in _DRAW.finditer(data):
                    draws[m.group(1)] = draws.get(m.group(1), 0) + 1
        xobjects = resources.get("/XObject") if resources is not None else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        for key, times in draws.items():
            ref = xobjects.get("/" + key.decode("latin-1")) if hasattr(xobjects, "get") else None
            form = ref.get_object() if ref is not None else None
            if not hasattr(form, "get") or form.get("/Subtype") != "/Form":
                continue
            f_ops, f_shown = self.form_cost(ref, form, resources, path)
            ops += times * f_ops
            shown += times * f_shown
            self.check_ops(self.ops + ops, self.shown + shown)
        return ops, shown

    def form_cost(self, ref, form, resources, path: tuple) -> tuple[int, int]:
        key = getattr(getattr(ref, "indirect_reference", None), "idnum", None) or getattr(ref, "idnum", None) \
            or id(form)
        if key in path:
            self.fail("PDF 中的表单对象互相引用（循环），不像是正常文件")
        if len(path) >= MAX_FORM_DEPTH:
            self.fail(f"PDF 中的表单对象嵌套超过 {MAX_FORM_DEPTH} 层")
        if key not in self.memo:
            self.memo[key] = self.cost([form], _resources(form) or resources, (*path, key))
        return self.memo[key]
