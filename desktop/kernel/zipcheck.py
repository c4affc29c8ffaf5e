"""Check an Office package (a zip of XML parts) before any parser sees it: member count, unpacked sizes,
compression ratio, deflate streams that do not inflate, and what each XML part would cost to parse.

The zip's directory is checked first (nothing unpacked); then each part is streamed through zlib in
chunks, and every part that is XML (by its bytes, not its name) through expat with counters
(desktop/kernel/xmlbounds.py): elements, attributes, cells per row, styles, names, strings, table cells,
merge spans, and DTD/entity declarations wherever they sit. Memory stays flat whatever the part holds.
"""
from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass

from desktop.kernel.limits import MB, describe
from desktop.kernel.xmlbounds import PackageCounter, XmlBoundError, XmlLimits, looks_like_xml

_CHUNK = 1 << 20
_BIG_PARTS = ("xl/worksheets/", "xl/sharedStrings.xml", "word/document.xml")


class PackageError(Exception):
    """The package breaks a limit or is damaged; the message is one Chinese sentence."""


@dataclass(frozen=True)
class Limits:
    parts: int  # members in the zip
    unpacked: int  # all members together, uncompressed
    ratio: int  # uncompressed / compressed, for members above 1 MB
    member: dict  # name -> its own unpacked limit (e.g. the document body)
    xml: XmlLimits | None = None  # what the XML parts may cost to parse (None: DTD refusal only)


def check_package(source, limits: Limits, what: str, *, member_cap: int | None = None, only=None) -> list[str]:
    """Raise PackageError when `source` (a path or a binary file object) breaks `limits`; return member names.

    Every member (or, with `only`, the members the caller will read: a predicate on names) is inflated once in
    chunks (so a damaged stream or a wrong CRC is found here, not in the parser) and, when it is XML, counted
    by a streaming pass; `member_cap` bounds each member that has no limit of its own in `limits.member`."""
    counter = PackageCounter(limits.xml or _DTD_ONLY, what)
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
            _check_directory(infos, limits, what, member_cap)
            for info in infos:
                if only is None or only(info.filename):
                    _check_member(zf, info, limits, what, member_cap, counter)
            return [i.filename for i in infos]
    except PackageError:
        raise
    except XmlBoundError as exc:
        raise PackageError(str(exc)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise PackageError(f"{what}已损坏（{_short(exc)}）") from None
    except zipfile.LargeZipFile:
        raise PackageError(f"{what}过大（ZIP64），不像是正常文件") from None
    except NotImplementedError as exc:
        raise PackageError(f"{what}使用了不支持的压缩方式{_short(exc, logged_only=True)}") from None
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: an encrypted member
        raise PackageError(f"{what}已损坏或已加密，无法读取{_short(exc, logged_only=True)}") from None


def _cap(info: zipfile.ZipInfo, limits: Limits, member_cap: int | None) -> int:
    own = limits.member.get(info.filename, member_cap)
    return min(own, limits.unpacked) if own is not None else limits.unpacked


def _check_directory(infos, limits: Limits, what: str, member_cap: int | None) -> None:
    if len(infos) > limits.parts:
        raise PackageError(f"{what}内部文件有 {len(infos)} 个，超过上限 {limits.parts} 个（疑似压缩炸弹），已拒绝读取")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MB and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise PackageError(f"{what}中的 {info.filename} 压缩比超过 {limits.ratio} 倍（疑似压缩炸弹），已拒绝读取")
        own = _cap(info, limits, member_cap)
        if info.file_size > own:
            raise PackageError(f"{what}中的 {info.filename} 解压后 {info.file_size / MB:.1f} MB，"
                               f"超过上限 {describe(own)}，已拒绝读取")
    if total > limits.unpacked:
        raise PackageError(f"{what}解压后共 {total / MB:.1f} MB，超过上限 {describe(limits.unpacked)}"
                           "（疑似压缩炸弹），已拒绝读取")


def _check_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, what: str,
                  member_cap: int | None, counter: PackageCounter) -> None:
    """Inflate one part in chunks (CRC checked at its end); an XML part also goes through the counting pass."""
    cap = _cap(info, limits, member_cap)
    seen = 0
    feeder = None
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            if seen == 0 and looks_like_xml(chunk[:64]):
                feeder = counter.part(info.filename, big=info.filename.startswith(_BIG_PARTS))
            seen += len(chunk)
            if seen > cap:
                raise PackageError(f"{what}中的 {info.filename} 解压后超过上限 {describe(cap)}，已拒绝读取")
            if feeder is not None:
                feeder.feed(chunk)
    if feeder is not None:
        feeder.close()


# Packages without limits of their own still get the DTD refusal and generous counts.
_DTD_ONLY = XmlLimits(elements=10**9, part_elements=10**9, attributes=10**6, row_cells=10**9, counted={})


def _short(exc: BaseException, *, logged_only: bool = False) -> str:
    """The library's English message goes to the log; the user reads a Chinese phrase (or nothing more)."""
    from desktop.kernel.plain import describe, plain

    if logged_only:
        plain(exc)
        return ""
    return plain(exc) if describe(exc) != "程序内部错误" else "压缩数据无法解开"