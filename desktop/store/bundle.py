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
from desktop.kernel.plain import plain

FORMAT = "fazhi-review-bundle"
VERSION = 4  # 4: signed (manifest.sig, seals.json); 3: rectification reports and the office name; 2: follow-up
SIGNED_SINCE = 4  # older bundles are unsigned: imported only when the user says so
SUFFIX = ".fzr"
MAX_FILE = 512 * 1024 * 1024  # the .fzr file itself
MAX_MEMBER = 256 * 1024 * 1024  # one member, uncompressed
MAX_TOTAL = 1024 * 1024 * 1024  # all members, uncompressed
MAX_MEMBERS = 20_000
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
_NAME = re.compile(r"(manifest\.json|manifest\.sig|records\.json|seals\.json|texts/[0-9a-f]{64}\.txt)")
_CHUNK = 1 << 20


class BundleError(Exception):
    """The bundle cannot be used; the message is one Chinese line naming the reason."""


def _checksum(members: dict) -> str:
    lines = "".join(f"{name}:{m['sha256']}:{m['size']}\n" for name, m in sorted(members.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def write_bundle(path, state: dict, *, author: str | None = None, filters: dict | None = None, key=None,
                 seals=None) -> dict:
    """Write `state` (Library.team.team_state()) to `path`; returns the manifest. Texts go to their own members.
    With `key` (an Ed25519 private key) the manifest is signed and `seals` (signing.seal_state) travel along."""
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
    if key is not None:
        payload["seals.json"] = json.dumps(seals or [], separators=(",", ":")).encode("utf-8")
    too_big = max(len(data) for data in payload.values()) > MAX_MEMBER
    if too_big or sum(len(data) for data in payload.values()) > MAX_TOTAL:  # its own import would refuse it
        raise BundleError(f"{path.name}: 审阅包的内容超过导入上限（单个部分 {MAX_MEMBER // 1024 // 1024} MB，"
                          f"合计 {MAX_TOTAL // 1024 // 1024} MB），未导出；请分批导出（点名报告，或用 --reviewer、--since）")
    members = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
               for name, data in payload.items()}
    manifest = {
        "format": FORMAT, "version": VERSION, "library_id": state.get("library_id"), "author": author,
        "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "filters": filters or {},
        "reports": len(reports), "members": members, "checksum": _checksum(members),
    }
    if key is not None:
        from desktop.store.signing import public_hex

        manifest["signer"] = {"public_key": public_hex(key)}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    tmp = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr("manifest.json", manifest_bytes)
            if key is not None:
                zf.writestr("manifest.sig", key.sign(manifest_bytes).hex())
            for name, data in payload.items():
                zf.writestr(name, data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BundleError(f"{path}: 无法写入审阅包（{exc.strerror or exc}）") from None
    return manifest


def read_bundle(path) -> tuple[dict, dict]:
    """(manifest, state) of a bundle, every check passed; BundleError otherwise. Reads nothing to disk.

    A signed bundle's signature is verified over the manifest's exact bytes (the manifest holds every member's
    checksum, the author, library and filters); manifest["signed"] says whether it was signed, and
    state["seals"] holds its seal batches. Members no record refers to are refused before they are read."""
    path = Path(path)
    name = path.name
    try:
        if not path.is_file():
            raise BundleError(f"{name}: 文件不存在或不是普通文件")
        if path.stat().st_size > MAX_FILE:
            raise BundleError(f"{name}: 审阅包超过 {MAX_FILE // 1024 // 1024} MB，已拒绝")
        with zipfile.ZipFile(path) as zf:
            infos = _check_layout(zf, name)
            raw_manifest = _read(zf, infos["manifest.json"], name)
            manifest = _json(raw_manifest, name, "manifest.json")
            _check_manifest(manifest, infos, name)
            manifest["signed"] = _check_signature(manifest, raw_manifest, zf, infos, name)
            records = _member(zf, infos, manifest, "records.json", name)
            state = _json(records, name, "records.json")
            wanted = _referenced(state, name)
            unread = set(manifest["members"]) - wanted - {"records.json", "seals.json"}
            if unread:
                raise BundleError(f"{name}: 审阅包内有记录未引用的文件（{sorted(unread)[0]}），已被改动，未做任何改动")
            data = {n: _member(zf, infos, manifest, n, name) for n in sorted(wanted)}
            seals = _json(_member(zf, infos, manifest, "seals.json", name), name, "seals.json") \
                if "seals.json" in infos else []
    except BundleError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError) as exc:
        raise BundleError(f"{name}: 不是有效的审阅包或文件已损坏（{plain(exc)}）") from None
    except OSError as exc:
        raise BundleError(f"{name}: 无法读取审阅包（{exc.strerror or exc}）") from None
    _attach_texts(state, data, name)
    state["seals"] = seals if isinstance(seals, list) else []
    return manifest, state


def _member(zf: zipfile.ZipFile, infos: dict, manifest: dict, member: str, name: str) -> bytes:
    """A member's bytes, checked against the manifest's checksum as they are read."""
    data = _read(zf, infos[member], name)
    meta = manifest["members"][member]
    if hashlib.sha256(data).hexdigest() != meta["sha256"] or len(data) != meta["size"]:
        raise BundleError(f"{name}: 校验和不符（{member}），审阅包已损坏或被改动，未做任何改动")
    return data


def _referenced(state, name: str) -> set[str]:
    if not isinstance(state, dict) or not isinstance(state.get("reports"), list):
        raise BundleError(f"{name}: 审阅记录的结构不对")
    out = set()
    for rep in state["reports"]:
        for r in (rep.get("readings") if isinstance(rep, dict) and isinstance(rep.get("readings"), list) else ()):
            member = r.get("text") if isinstance(r, dict) else None
            if isinstance(member, str) and _NAME.fullmatch(member) and member.startswith("texts/"):
                out.add(member)
    return out


def _check_signature(manifest: dict, raw: bytes, zf, infos: dict, name: str) -> bool:
    """True when the manifest is signed and the signature holds; False for an unsigned older bundle."""
    signer = manifest.get("signer")
    if "manifest.sig" not in infos and signer is None and manifest["version"] < SIGNED_SINCE:
        return False
    from desktop.store.signing import verify_bytes

    sig = _read(zf, infos["manifest.sig"], name).decode("ascii", "replace") if "manifest.sig" in infos else ""
    key = signer.get("public_key") if isinstance(signer, dict) else None
    if not isinstance(key, str) or not verify_bytes(key, sig.strip(), raw):
        raise BundleError(f"{name}: 审阅包的签名无效或缺失（已被改动或伪造），未做任何改动")
    return True


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
    present = set(infos) - {"manifest.json", "manifest.sig"}
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
    """Write the review state of `report_ids` (all but the sample when None) to a bundle signed by this library;
    its manifest."""
    from desktop.store.signing import library_key, seal_state

    if report_ids is None:  # every report but the bundled sample, as every export (named, it travels)
        report_ids = [r.id for r in repo.removal.reports_for_export()]
    state = repo.team.team_state(report_ids, reviewer=reviewer, since=since)
    seals = seal_state(repo, state)
    filters = {k: v for k, v in (("reviewer", reviewer), ("since", since)) if v}
    return write_bundle(path, state, author=author or reviewer or repo.default_who, filters=filters,
                        key=library_key(repo), seals=seals)


def import_bundle(repo, path, *, dry_run: bool = False, who: str | None = None, allow_unsigned: bool = False,
                  score_range=(0.0, 100.0)):
    """Check and merge a bundle into `repo` in one transaction: (manifest, MergeSummary). BundleError, library
    untouched, when the bundle is refused: unsigned (unless `allow_unsigned`, then with a note), a signature or
    seal that does not hold, a reviewer's key that changed (until `team trust`), a bad record."""
    from desktop.store.signing import SignatureError, check_seals

    manifest, state = read_bundle(path)
    name = Path(path).name
    if not manifest["signed"] and not allow_unsigned:
        raise BundleError(f"{name}: 审阅包没有签名（由旧版本导出）；确认来源可靠后用 --allow-unsigned 导入，未做任何改动")
    seals = state.pop("seals", [])
    try:
        repo.team.check_state(state, score_range)  # every record's shape first: the seal check reads the stamps
    except ValueError as exc:
        raise BundleError(f"{name}: {exc}，审阅包无法使用，未做任何改动") from None
    try:
        # a dry run leaves no key, table or seal behind either; a larger page cache while thousands of rows go in
        with repo.bulk(), repo.db.tentative("bundle_import", keep=not dry_run):
            notes = check_seals(repo, state, seals, allow_unsigned=allow_unsigned, record=not dry_run)
            summary = repo.team.merge_state(state, dry_run=dry_run, who=who, score_range=None)
    except SignatureError as exc:
        raise BundleError(f"{name}: {exc}") from None
    except ValueError as exc:
        raise BundleError(f"{name}: {exc}，审阅包无法使用，未做任何改动") from None
    if not manifest["signed"]:
        notes.insert(0, "审阅包没有签名（旧版本导出），按 --allow-unsigned 导入")
    summary.notes[:0] = notes
    return manifest, summary


def trust_signer(repo, name: str, path) -> str | None:
    """`team trust NAME FILE.fzr`: the key that signed the bundle becomes reviewer `name`'s (its fingerprint), or
    None when `name` had no other key. BundleError when the bundle is not signed or not readable."""
    from desktop.store.signing import trust

    manifest, _ = read_bundle(path)
    if not manifest["signed"]:
        raise BundleError(f"{Path(path).name}: 审阅包没有签名，无法据此确认密钥")
    return trust(repo, name, manifest["signer"]["public_key"])
