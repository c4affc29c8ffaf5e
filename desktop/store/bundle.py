"""Review bundles (.fzr): a zip with a versioned manifest, the review records as JSON and the report texts.

write_bundle(path, state, ...) writes one atomically; read_bundle(path) returns the state or raises BundleError
with a one-line Chinese reason: not a bundle, newer version, corrupt or tampered (checksums), zip bomb, unsafe
member names. Nothing is extracted to disk and every size is enforced while reading. See team.md §4.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

FORMAT = "fazhi-review-bundle"
VERSION = 3  # 3: rectification reports and the office name travel; 2: follow-up decisions; 1 and 2 still read
SUFFIX = ".fzr"
MAX_FILE = 512 * 1024 * 1024  # the .fzr file itself
MAX_MEMBER = 256 * 1024 * 1024  # one member, uncompressed
MAX_TOTAL = 1024 * 1024 * 1024  # all members, uncompressed
MAX_MEMBERS = 20_000
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
_NAME = re.compile(r"(manifest\.json|records\.json|texts/[0-9a-f]{64}\.txt)")
_CHUNK = 1 << 20


class BundleError(Exception):
    """The bundle cannot be used; the message is one Chinese line naming the reason."""


def _checksum(members: dict) -> str:
    lines = "".join(f"{name}:{m['sha256']}:{m['size']}\n" for name, m in sorted(members.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def write_bundle(path, state: dict, *, author: str | None = None, filters: dict | None = None) -> dict:
    """Write `state` (Repository.team_state()) to `path`; returns the manifest. Texts go to their own members."""
    path = Path(path)
    texts: dict[str, bytes] = {}
    reports = []
    for rep in state["reports"]:
        readings = []
        for r in rep["readings"]:
            data = r["clean_text"].encode("utf-8")
            name = f"texts/{hashlib.sha256(data).hexdigest()}.txt"
            texts[name] = data
            readings.append({**{k: v for k, v in r.items() if k != "clean_text"}, "text": name})
        reports.append({**rep, "readings": readings})
    records = json.dumps({**state, "reports": reports}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    payload = {"records.json": records, **texts}
    members = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
               for name, data in payload.items()}
    manifest = {
        "format": FORMAT, "version": VERSION, "library_id": state.get("library_id"), "author": author,
        "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "filters": filters or {},
        "reports": len(reports), "members": members, "checksum": _checksum(members),
    }
    tmp = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, data in payload.items():
                zf.writestr(name, data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"{path}: 无法写入审阅包（{exc.strerror or exc}）") from None
    return manifest


def read_bundle(path) -> tuple[dict, dict]:
    """(manifest, state) of a bundle, every check passed; BundleError otherwise. Reads nothing to disk."""
    path = Path(path)
    name = path.name
    try:
        if not path.is_file():
            raise BundleError(f"{name}: 文件不存在或不是普通文件")
        if path.stat().st_size > MAX_FILE:
            raise BundleError(f"{name}: 审阅包超过 {MAX_FILE // 1024 // 1024} MB，已拒绝")
        with zipfile.ZipFile(path) as zf:
            infos = _check_layout(zf, name)
            manifest = _json(_read(zf, infos["manifest.json"], name), name, "manifest.json")
            _check_manifest(manifest, infos, name)
            data = {n: _read(zf, infos[n], name) for n in infos if n != "manifest.json"}
    except BundleError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError) as exc:
        raise BundleError(f"{name}: 不是有效的审阅包或文件已损坏（{exc}）") from None
    except OSError as exc:
        raise BundleError(f"{name}: 无法读取审阅包（{exc.strerror or exc}）") from None
    for member, meta in manifest["members"].items():
        if hashlib.sha256(data[member]).hexdigest() != meta["sha256"] or len(data[member]) != meta["size"]:
            raise BundleError(f"{name}: 校验和不符（{member}），审阅包已损坏或被改动，未做任何改动")
    state = _json(data["records.json"], name, "records.json")
    _attach_texts(state, data, name)
    return manifest, state


def _check_layout(zf: zipfile.ZipFile, name: str) -> dict:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BundleError(f"{name}: 审阅包内文件过多（{len(infos)} 个），已拒绝")
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        member = info.filename
        if (member.startswith(("/", "\\")) or "\\" in member or ".." in member.split("/") or ":" in member
                or not _NAME.fullmatch(member)):
            raise BundleError(f"{name}: 审阅包含不安全或未知的文件名“{member[:80]}”，已拒绝")
        if member in by_name:
            raise BundleError(f"{name}: 审阅包内文件名重复（{member}），已拒绝")
        if info.flag_bits & 0x1:
            raise BundleError(f"{name}: 审阅包内有加密文件，已拒绝")
        if info.file_size > MAX_MEMBER or (info.file_size > _CHUNK
                                           and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise BundleError(f"{name}: {member} 解压后过大（疑似压缩炸弹），已拒绝")
        total += info.file_size
        by_name[member] = info
    if total > MAX_TOTAL:
        raise BundleError(f"{name}: 审阅包解压后总量过大（疑似压缩炸弹），已拒绝")
    for required in ("manifest.json", "records.json"):
        if required not in by_name:
            raise BundleError(f"{name}: 不是审阅包（缺少 {required}）")
    return by_name


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes, never more than its declared size (the header is not trusted)."""
    limit = min(info.file_size, MAX_MEMBER)
    parts, got = [], 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(min(_CHUNK, limit - got + 1))
            if not chunk:
                break
            got += len(chunk)
            if got > limit:
                raise BundleError(f"{name}: {info.filename} 的实际大小与记录不符（疑似压缩炸弹），已拒绝")
            parts.append(chunk)
    return b"".join(parts)


def _json(data: bytes, name: str, member: str):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError(f"{name}: {member} 不是有效的 JSON，审阅包已损坏") from None


def _check_manifest(manifest, infos: dict, name: str) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{name}: 不是审阅包（清单格式不符）")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BundleError(f"{name}: 审阅包清单的版本号无效")
    if version > VERSION:
        raise BundleError(f"{name}: 审阅包由更新版本的程序导出（格式版本 {version}，本程序支持到 {VERSION}），"
                          "请升级程序后再导入；未做任何改动")
    members = manifest.get("members")
    if (not isinstance(members, dict) or any(not isinstance(m, dict) or not isinstance(m.get("sha256"), str)
                                             or not isinstance(m.get("size"), int) for m in members.values())):
        raise BundleError(f"{name}: 审阅包清单已损坏")
    present = set(infos) - {"manifest.json"}
    if set(members) != present:
        extra, missing = sorted(present - set(members)), sorted(set(members) - present)
        raise BundleError(f"{name}: 审阅包内容与清单不符（{'多出 ' + extra[0] if extra else '缺少 ' + missing[0]}），"
                          "已被改动或不完整，未做任何改动")
    if manifest.get("checksum") != _checksum(members):
        raise BundleError(f"{name}: 审阅包清单的校验和不符，已被改动，未做任何改动")


def _attach_texts(state, data: dict, name: str) -> None:
    if not isinstance(state, dict) or not isinstance(state.get("reports"), list):
        raise BundleError(f"{name}: 审阅记录的结构不对")
    for rep in state["reports"]:
        readings = rep.get("readings") if isinstance(rep, dict) else None
        if not isinstance(readings, list) or not readings:
            raise BundleError(f"{name}: 审阅记录中的报告缺少正文")
        for r in readings:
            member = r.get("text") if isinstance(r, dict) else None
            if not isinstance(member, str) or member not in data or not member.startswith("texts/"):
                raise BundleError(f"{name}: 审阅记录引用了包内不存在的正文")
            try:
                r["clean_text"] = data[member].decode("utf-8")
            except UnicodeDecodeError:
                raise BundleError(f"{name}: 报告正文不是 UTF-8 文本，审阅包已损坏") from None
            del r["text"]


def export_bundle(repo, path, report_ids=None, *, reviewer: str | None = None, since: str | None = None,
                  author: str | None = None) -> dict:
    """Write the review state of `report_ids` (all when None) to a bundle; returns its manifest."""
    state = repo.team_state(report_ids, reviewer=reviewer, since=since)
    filters = {k: v for k, v in (("reviewer", reviewer), ("since", since)) if v}
    return write_bundle(path, state, author=author or reviewer or repo.default_who, filters=filters)


def import_bundle(repo, path, *, dry_run: bool = False, who: str | None = None):
    """Check and merge a bundle into `repo` in one transaction: (manifest, MergeSummary). BundleError, library
    untouched, when the bundle is refused."""
    manifest, state = read_bundle(path)
    try:
        with repo.bulk():  # a larger page cache while thousands of rows go in (ids' unique indexes)
            return manifest, repo.merge_state(state, dry_run=dry_run, who=who)
    except ValueError as exc:
        raise BundleError(f"{Path(path).name}: {exc}，审阅包无法使用，未做任何改动") from None
