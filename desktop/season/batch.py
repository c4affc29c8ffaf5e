"""Batch import: files, folders (recursively) and .zip archives of reports into the library, one result per file.

API:
    import_batch(repo, paths, who=None, progress=None, after_each=None, *, checks=False, workers=None)
        -> list[BatchItem]; progress(done, total, message) may return False to stop: the files not reached are
        listed as 已取消. Read by worker processes, stored one transaction per batch (see import_batch).
    collect(paths) -> list[Source]                  # what would be imported, with refusals already decided
A failed file never stops the rest; nothing is unpacked to disk; archives are bounded (members, sizes, ratio).
"""
from __future__ import annotations

import dataclasses
import os
import stat
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from desktop.season.library import SeasonLibrary
from desktop.kernel.labels import BATCH_STATUS_LABELS
from desktop.report.model import ReportError
from desktop.report.ocr import IMAGE_SUFFIXES, OCR_MARK, OcrCancelled, watching
from desktop.report.sources import MAX_BYTES, REPLACED_MARK, read_source
from desktop.store.errors import LibraryError
from desktop.kernel.plain import plain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.review.rubric import Rubric

SUFFIXES = {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".docm", ".pdf", *IMAGE_SUFFIXES}
STATUS_LABELS = BATCH_STATUS_LABELS
ZIP_MAX_MEMBERS = 5000  # entries in one archive
ZIP_MAX_TOTAL = 400 * 1024 * 1024  # declared uncompressed bytes of the members we read
ZIP_MAX_RATIO = 100  # uncompressed / compressed of one member (text compresses ~5–10×; bombs ~1000×)
FOLDER_MAX_FILES = 20000


@dataclass(frozen=True)
class Source:
    name: str  # what the user sees: a path, or ARCHIVE/inner/name
    load: object = None  # () -> bytes; None when refused
    refused: str | None = None  # the reason a file is not imported at all

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.name.replace("\\", "/")).name


@dataclass(frozen=True)
class BatchItem:
    name: str
    status: str  # new | unchanged | new_reading | failed | cancelled
    reason: str = ""
    report_id: int | None = None
    title: str | None = None
    messages: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _supported(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in SUFFIXES


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Names written by Chinese Windows tools are GBK bytes without the UTF-8 flag (bit 11); zipfile read them
    as cp437, so undo that and decode as GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _unsafe(name: str) -> bool:
    p = name.replace("\\", "/")
    return p.startswith("/") or (len(p) > 1 and p[1] == ":") or ".." in PurePosixPath(p).parts


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read at most MAX_BYTES + 1 bytes, whatever the header claims (a header may lie about the size)."""
    with zf.open(info) as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ReportError(f"解压后超过 {MAX_BYTES // 1048576} MB，未导入")
    return data


def _zip_sources(path: Path, label: str) -> list[Source]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [Source(label, refused=f"不是有效的 zip 压缩包（{plain(exc)}）")]
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > ZIP_MAX_MEMBERS:
        zf.close()
        return [Source(label, refused=f"压缩包内文件过多（{len(infos)} 个，上限 {ZIP_MAX_MEMBERS}），未展开")]
    out, total = [], 0
    for info in infos:
        name = _zip_name(info)
        shown = f"{label}/{name}"
        base = PurePosixPath(name.replace("\\", "/")).name
        if _unsafe(name):
            out.append(Source(shown, refused="压缩包内路径不安全（含 .. 或绝对路径），已拒绝"))
        elif stat.S_ISLNK(info.external_attr >> 16):
            out.append(Source(shown, refused="压缩包内的符号链接，未跟随"))
        elif base.startswith(".") or name.startswith("__MACOSX/"):
            continue
        elif not _supported(name):
            if name.lower().endswith(".zip"):
                out.append(Source(shown, refused="压缩包内的压缩包不展开"))
            continue
        elif info.flag_bits & 0x1:
            out.append(Source(shown, refused="文件已加密，无法读取"))
        elif info.file_size > MAX_BYTES:
            out.append(Source(shown, refused=f"解压后 {info.file_size / 1048576:.0f} MB，超过上限 "
                                             f"{MAX_BYTES // 1048576} MB"))
        elif info.file_size > 1024 * 1024 and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            out.append(Source(shown, refused=f"压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                                             "疑似压缩炸弹，已拒绝"))
        elif total + info.file_size > ZIP_MAX_TOTAL:
            out.append(Source(shown, refused=f"压缩包解压总量超过 {ZIP_MAX_TOTAL // 1048576} MB，其余文件未导入"))
        else:
            total += info.file_size
            out.append(Source(shown, load=lambda info=info: _read_member(zf, info)))
    return out


def _file_source(path: Path, label: str) -> Source:
    def load() -> bytes:
        return read_source(path)[0]  # a regular file only, read at most up to the limit (ReportError otherwise)
    return Source(label, load=load)


def _folder_entries(folder: Path) -> list[Path]:
    """Every file under `folder` and every symbolic link (to a file or a folder), sorted; links are not entered."""
    out = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        out += [base / d for d in dirs if (base / d).is_symlink()]
        out += [base / f for f in files]
    return sorted(out)


def collect(paths) -> list[Source]:
    """Every report file named, found in a folder (recursively) or inside a .zip; refusals kept as results."""
    out: list[Source] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = 0
            for p in _folder_entries(path):
                rel = p.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if p.is_symlink():  # never followed: it could point anywhere (/etc/passwd, a loop)
                    out.append(Source(str(p), refused="是符号链接，未跟随（请直接导入它指向的文件）"))
                    continue
                if not p.is_file():
                    continue
                if p.suffix.lower() == ".zip":
                    out += _zip_sources(p, str(p))
                elif _supported(p.name):
                    found += 1
                    if found > FOLDER_MAX_FILES:
                        out.append(Source(str(path), refused=f"文件夹中报告文件超过 {FOLDER_MAX_FILES} 个，其余未导入"))
                        break
                    out.append(_file_source(p, str(p)))
            if not found and not out:
                out.append(Source(str(path), refused="文件夹中没有可导入的报告文件（.txt/.html/.docx/.pdf/.zip 或 .png/.jpg/.tif 页面图片）"))
        elif path.suffix.lower() == ".zip" and path.is_file():
            out += _zip_sources(path, str(path))
        elif not path.exists():
            out.append(Source(str(path), refused="文件不存在"))
        elif not path.is_file():
            out.append(Source(str(path), refused="不是普通文件"))
        else:
            out.append(_file_source(path, str(path)))
    return out


def import_batch(repo: SeasonLibrary, paths, who=None, progress=None, after_each=None, *, checks: bool = False,
                 workers: int | None = None) -> list[BatchItem]:
    """Import everything `paths` names; each file gets a BatchItem, in order.

    Files are read by a pool of worker processes (`workers`: None = one per core for more than a handful of
    files, 0 = in this process) and stored in one transaction per batch (BATCH_FILES files or BATCH_SECONDS),
    so nothing is acknowledged before its batch is committed. `checks=True` stores each new report's checks,
    computed by the worker on the reading itself. `after_each(repo, report_id)` runs after each new or changed
    report once its batch is committed; its failure is noted, never fatal."""
    from desktop.season.pipeline import read_in_order

    sources = collect(paths)
    jobs = [(s.name, s.load) for s in sources if not s.refused]
    outcomes = read_in_order(jobs, workers, checks, known=repo.reports.knows_bytes, window=BATCH_FILES + 8)
    with repo.bulk():
        try:
            return _import_all(sources, outcomes, _BatchWriter(repo, who, after_each, checks), progress)
        finally:
            outcomes.close()


def _import_all(sources, outcomes, writer, progress) -> list[BatchItem]:
    total, items = len(sources), []
    for n, src in enumerate(sources):
        if progress is not None and progress(n, total, f"正在导入 {src.file_name}（{n + 1}/{total}）") is False:
            items += writer.flush()
            items += [BatchItem(s.name, "cancelled", "导入已取消") for s in sources[n:]]
            return items
        try:
            with watching(_ocr_step(progress, n, total, src.file_name)):  # a scan is recognised here, with progress
                outcome = None if src.refused else next(outcomes)
        except OcrCancelled:  # cancelled while its pages were being recognised
            items += writer.flush()
            items.append(BatchItem(src.name, "cancelled", "导入已取消（文字识别未完成）"))
            items += [BatchItem(s.name, "cancelled", "导入已取消") for s in sources[n + 1:]]
            return items
        writer.add(src, outcome)
        if writer.due():
            items += writer.flush()
    items += writer.flush()
    if progress is not None:
        progress(total, total, "导入完成")
    return items


def _ocr_step(progress, n: int, total: int, file_name: str):
    """OCR page progress shown as the batch's message; the batch's cancel stops the recognition."""
    if progress is None:
        return None
    return lambda done, pages, message: progress(n, total, f"{file_name}：{message}（{n + 1}/{total}）")


BATCH_FILES = 32  # reports stored per transaction (and as many being read meanwhile, + 8)
BATCH_SECONDS = 2.0  # …or fewer, when reading them took this long (the desk shows progress meanwhile)


class _BatchWriter:
    """Stores read files one transaction per batch; returns their BatchItems only after the commit."""

    def __init__(self, repo: SeasonLibrary, who, after_each, checks: bool):
        self.repo, self.who, self.after_each, self.checks = repo, who, after_each, checks
        self.rubric: Rubric | None = None  # loaded once for the batch's checks (not per report)
        self.pending: list = []
        self.started = time.monotonic()

    def add(self, src: Source, outcome) -> None:
        if not self.pending:
            self.started = time.monotonic()
        self.pending.append((src, outcome))

    def due(self) -> bool:
        return len(self.pending) >= BATCH_FILES or time.monotonic() - self.started >= BATCH_SECONDS

    def flush(self) -> list[BatchItem]:
        pending, self.pending = self.pending, []
        if not pending:
            return []
        try:
            with self.repo.db.tx():
                stored = [self._store(src, outcome) for src, outcome in pending]
        except LibraryError as exc:  # the batch's transaction failed as a whole: none of it was stored
            return [BatchItem(src.name, "failed", str(exc)) for src, _ in pending]
        return [self._after(item, result) for item, result in stored]

    def _store(self, src: Source, outcome):
        if src.refused:
            return BatchItem(src.name, "failed", src.refused), None
        if outcome.failed is not None:
            return BatchItem(src.name, "failed", outcome.failed), None
        try:
            if outcome.reading is None:  # the library holds these very bytes
                known = self.repo.reports.known_bytes(outcome.sha256)
                if known is None:  # removed since it was found (another program on the same library)
                    raise LibraryError("这份文件在导入期间已从审阅库中移除，请重新导入")
                result = known
            else:
                result = self.repo.reports.import_reading(outcome.reading, file_name=src.file_name, sha256=outcome.sha256,
                                                  who=self.who, prepared=outcome.prepared)
        except Exception as exc:  # noqa: BLE001 - one file that cannot be stored never stops the batch
            from desktop.season.pipeline import failure_reason

            return BatchItem(src.name, "failed", failure_reason(exc)), None
        messages = tuple(result.messages)
        if result.status != "unchanged":  # stray bytes were replaced: the reviewer should know the text is not whole
            messages += tuple(w for w in result.report.warnings if REPLACED_MARK in w or w.startswith(OCR_MARK))
        if self.checks and result.status != "unchanged":
            messages += self._store_checks(result, outcome)
        item = BatchItem(src.name, result.status, "", result.report.id, result.report.title or result.report.file_name,
                         messages)
        return item, result

    def _store_checks(self, result, outcome) -> tuple[str, ...]:
        from desktop.review.rubric import load_rubric
        from desktop.review.service import findings_for, save_findings

        try:
            self.rubric = self.rubric or load_rubric()
            if result.status == "new" and outcome.findings is not None:  # computed on this very reading
                save_findings(self.repo, result.report.id, outcome.findings, self.rubric)
            else:  # a new reading keeps the reviewer's edits: check the reading as stored
                findings_for(self.repo, result.report.id, self.rubric)
        except Exception as exc:  # noqa: BLE001 - the import stands; the checks run again when viewed
            return (f"审阅检查未能完成：{plain(exc)}",)
        return ()

    def _after(self, item: BatchItem, result) -> BatchItem:
        if self.after_each is None or result is None or result.status == "unchanged":
            return item
        try:
            self.after_each(self.repo, result.report.id)
        except Exception as exc:  # noqa: BLE001 - the import stands; the checks run again when viewed
            return dataclasses.replace(item, messages=item.messages + (f"审阅检查未能完成：{plain(exc)}",))
        return item


def summary_line(items: list[BatchItem]) -> str:
    counts = {s: sum(1 for i in items if i.status == s) for s in STATUS_LABELS}
    parts = [f"{STATUS_LABELS[s]} {n}" for s, n in counts.items() if n or s in ("new", "failed")]
    return f"共 {len(items)} 个文件：" + "，".join(parts)
