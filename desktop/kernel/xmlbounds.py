"""A streaming pass over the XML parts of an Office package (expat, counters only, no tree): elements,
attributes, cells per row, styles, defined names, shared strings, table cells and merge spans are counted
and refused past their limits before openpyxl, python-docx or lxml sees the part.

The DTD refusal lives here too: expat reports a document type or entity declaration wherever it sits
(after comments, processing instructions, a byte-order mark or in UTF-16), exactly as a parser would see it.
"""
from __future__ import annotations

import pyexpat
from dataclasses import dataclass, field

from desktop.kernel import limits as _limits
from desktop.kernel.limits import XML_COUNTED


class XmlBoundError(Exception):
    """A part breaks a limit, declares a DTD or is not well-formed; the message is one Chinese clause."""


@dataclass(frozen=True)
class XmlLimits:
    elements: int  # elements of all parts together
    part_elements: int  # elements of one part
    attributes: int = 100  # attributes (namespace declarations included) on one element
    row_cells: int = 16_384  # <c> in one <row> (Excel's own column limit)
    counted: dict = field(default_factory=lambda: dict(XML_COUNTED))  # label -> (local names, limit)


_XML_START = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def looks_like_xml(head: bytes) -> bool:
    """Whether a part's first bytes are XML as a parser would take them (whatever its name says)."""
    return head.lstrip(b" \t\r\n").startswith(_XML_START)


class PackageCounter:
    """Counts across every XML part of one package; `part(name)` gives a feeder for one part."""

    def __init__(self, limits: XmlLimits, what: str):
        self.limits = limits
        self.what = what
        self.elements = 0
        self.by_name: dict[str, tuple[str, int]] = {}  # local name -> (label, limit)
        self.totals: dict[str, int] = {}
        for label, (names, limit) in limits.counted.items():
            for local in names:
                self.by_name[local] = (label, limit)
            self.totals[label] = 0

    def part(self, name: str, *, big: bool = False) -> "PartFeeder":
        """A feeder for part `name`; `big` parts (worksheets, shared strings, the document body) may use the
        package's whole element budget, any other part only `part_elements`."""
        return PartFeeder(self, name, counter_cap=self.limits.elements if big else self.limits.part_elements)


class PartFeeder:
    """Feed one part's bytes in chunks (`feed`), then `close()`; raises XmlBoundError at the first breach."""

    def __init__(self, counter: PackageCounter, name: str, counter_cap: int):
        self.counter = counter
        self.cap = counter_cap
        self.name = name
        self.seen = 0
        self.row_cells = 0
        parser = pyexpat.ParserCreate()
        parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._dtd
        parser.EntityDeclHandler = self._dtd
        parser.StartElementHandler = self._start
        self.parser = parser

    def _refuse(self, why: str):
        raise XmlBoundError(f"{self.counter.what}中的 {self.name} {why}，已拒绝读取")

    def _dtd(self, *_):
        self._refuse("含有不安全的 XML 内容（实体或文档类型声明）")

    def _start(self, name, attrs):
        c = self.counter
        lim = c.limits
        self.seen += 1
        c.elements += 1
        if self.seen > self.cap or c.elements > lim.elements:
            self._refuse(f"的 XML 元素超过上限 {min(self.cap, lim.elements)} 个（疑似构造的文件）")
        if len(attrs) > lim.attributes:
            self._refuse(f"有一个元素带 {len(attrs)} 个属性，超过上限 {lim.attributes} 个")
        local = name[name.find(":") + 1:]
        if local == "c":
            self.row_cells += 1
            if self.row_cells > lim.row_cells:
                self._refuse(f"有一行的单元格超过上限 {lim.row_cells} 个")
        elif local == "row":
            self.row_cells = 0
        hit = c.by_name.get(local)
        if hit is not None:
            label, limit = hit
            c.totals[label] += 1
            if c.totals[label] > limit:
                self._refuse(f"的{label}超过上限 {limit} 个")

    def feed(self, chunk: bytes) -> None:
        self._parse(chunk, False)

    def close(self) -> None:
        self._parse(b"", True)

    def _parse(self, chunk: bytes, final: bool) -> None:
        try:
            self.parser.Parse(chunk, final)
        except pyexpat.ExpatError as exc:
            raise XmlBoundError(f"{self.counter.what}中的 {self.name} 不是格式正确的 XML（第 {exc.lineno} 行），"
                                "文件已损坏") from None
        except RecursionError:  # pragma: no cover - expat is not recursive; a guard for its handlers
            self._refuse("嵌套过深")


DOCX_XML = XmlLimits(_limits.MAX_XML_ELEMENTS_DOCX, _limits.MAX_XML_PART_ELEMENTS)
XLSX_XML = XmlLimits(_limits.MAX_XML_ELEMENTS_XLSX, _limits.MAX_XML_PART_ELEMENTS)
