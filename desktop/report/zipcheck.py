"""Check an Office package (a zip of XML parts) before any parser sees it: member count, unpacked sizes,
compression ratio, deflate streams that do not inflate, and DTD/entity declarations in every XML part.

The zip's directory is checked first (nothing unpacked); then each XML part is streamed through
zlib in chunks, so a lie in the directory or a damaged stream is found while memory stays flat.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass

from desktop.report.limits import MB, describe

_CHUNK = 1 << 20
_ROOT = re.compile(rb"<[A-Za-z_]")  # the root element's start: the prolog ends here
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_XML_SUFFIXES = (".xml", ".rels", ".vml")


class PackageError(Exception):
    """The package breaks a limit or is damaged; the message is one Chinese sentence."""


@dataclass(frozen=True)
class Limits:
    parts: int  # members in the zip
    unpacked: int  # all members together, uncompressed
    ratio: int  # uncompressed / compressed, for members above 1 MB
    member: dict  # name -> its own unpacked limit (e.g. the document body)


def check_package(source, limits: Limits, what: str, *, member_cap: int | None = None) -> list[str]:
    """Raise PackageError when `source` (a path or a binary file object) breaks `limits`; return member names.

    Every member is inflated once in chunks (so a damaged stream or a wrong CRC is found here, not in the
    parser); `member_cap` bounds each member that has no limit of its own in `limits.member`."""
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
            _check_directory(infos, limits, what, member_cap)
            for info in infos:
                _check_member(zf, info, limits, what, member_cap)
            return [i.filename for i in infos]
    except PackageError:
        raise
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
                  member_cap: int | None) -> None:
    """Inflate one part in chunks (CRC checked at its end); refuse a DTD or entity declaration in an XML prolog."""
    cap = _cap(info, limits, member_cap)
    seen = 0
    prolog = b""
    in_prolog = info.filename.lower().endswith(_XML_SUFFIXES)
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            seen += len(chunk)
            if seen > cap:
                raise PackageError(f"{what}中的 {info.filename} 解压后超过上限 {describe(cap)}，已拒绝读取")
            if in_prolog:
                prolog = (prolog + chunk)[-(4 * _CHUNK):]
                root = _ROOT.search(prolog)
                head = prolog[: root.start()] if root else prolog
                if _DTD.search(head):
                    raise PackageError(f"{what}中的 {info.filename} 含有不安全的 XML 内容（实体或文档类型声明），已拒绝读取")
                in_prolog = root is None
                if not in_prolog:
                    prolog = b""


def _short(exc: BaseException, *, logged_only: bool = False) -> str:
    """The library's English message goes to the log; the user reads a Chinese phrase (or nothing more)."""
    from desktop.plain import describe, plain

    if logged_only:
        plain(exc)
        return ""
    return plain(exc) if describe(exc) != "程序内部错误" else "压缩数据无法解开"