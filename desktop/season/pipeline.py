"""Reading many reports at once: a pool of worker processes reads (and checks) files while the caller stores them.

API:
    read_in_order(jobs, workers=None, checks=False) -> iterator of Outcome, in the order of `jobs`
        jobs: iterable of (name, load) where load() -> bytes (called in this process, one job at a time);
        a bounded window of jobs is in flight, so memory does not grow with the number of files.
    failure_reason(exc) -> str      # the one line a batch result shows for a file that could not be read
    default_workers(count) -> int   # 0 (read here) for a handful of files, else the cores (at most 8)
Checks are run in the worker on the reading itself (the reading a new report is stored with), so a batch never
reloads what it just stored; the findings come back as dicts, ready for the store.
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

from desktop.kernel.plain import plain
from desktop.report.model import Reading, ReportError
from desktop.store.errors import LibraryError

POOL_MIN_FILES = 8  # fewer files are read in this process: starting workers would cost more than it saves
WINDOW_PER_WORKER = 4  # jobs in flight per worker


@dataclass(frozen=True)
class Outcome:
    name: str
    sha256: str | None = None
    reading: Reading | None = None
    findings: list | None = None  # Finding dicts of the reading under the bundled rubric, when asked
    prepared: dict | None = None  # the store's derived values for a new report (Library.reports.import_reading)
    failed: str | None = None  # the reason, when the file could not be loaded or read


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, ReportError):
        return exc.message if hasattr(exc, "message") else str(exc)
    if isinstance(exc, LibraryError):
        return str(exc)
    if isinstance(exc, (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError)):
        return f"无法读取（{plain(exc)}）"
    return f"读取出错（{plain(exc)}）"  # in Chinese; the original goes to the log


def default_workers(count: int) -> int:
    if count < POOL_MIN_FILES:
        return 0
    return max(1, min(os.cpu_count() or 1, 8))


_RUBRIC = None


NEEDS_OCR = "\x00ocr"  # a worker's answer for a scan: the calling process recognises it (progress, cancel)


def _read(name: str, data: bytes, checks: bool, defer_ocr: bool = False) -> tuple:
    """Worker body: (reading, (findings, prepared)) or (None, reason), (None, NEEDS_OCR) for a scan when
    `defer_ocr`. Never raises but OcrCancelled (the reviewer's cancel): one bad file is one result."""
    global _RUBRIC
    from desktop.report import ocr
    from desktop.report.extract import read_bytes

    try:
        if defer_ocr:
            with ocr.deferred():
                reading = read_bytes(data, name)
        else:
            reading = read_bytes(data, name)
    except ocr.OcrCancelled:
        raise
    except ocr.OcrDeferred:
        return None, NEEDS_OCR
    except Exception as exc:  # noqa: BLE001 - one unreadable file must never stop the other hundred
        return None, failure_reason(exc)
    try:
        prepared = _prepare(reading)
    except Exception:  # noqa: BLE001 - the store works it out itself then
        prepared = None
    findings = None
    if checks:
        from desktop.review.checks import run_checks
        from desktop.review.rubric import load_rubric

        try:
            _RUBRIC = _RUBRIC or load_rubric()
            findings = [f.to_dict() for f in run_checks(reading, _RUBRIC)]
        except Exception:  # noqa: BLE001 - the import stands; the checks run again when viewed
            findings = None
    return reading, (findings, prepared)


def _prepare(reading: Reading) -> dict:
    """What the store would work out from the reading for a new report (its key, each row's values as stored
    text and first derived id): done here, in the reader process, to keep the storing process light."""
    from desktop.store.convert import dumps, indicator_values, work_item_values
    from desktop.store.merge import derived_gid, report_key

    key = report_key(reading.clean_text)
    out: dict[str, object] = {"key": key}
    for table, rows in (("indicators", [indicator_values(i) for i in reading.indicators]),
                        ("work_items", [work_item_values(w) for w in reading.work_items])):
        # The row texts themselves stay here: the store needs them only when a derived id is taken (one in 2^64),
        # and they were most of what went back to the storing process (100 KB a report, pickled both ways).
        out[table] = (key, None, [derived_gid(key, table, n, dumps(values), 0) for n, values in enumerate(rows)])
    return out


def _load(name: str, load) -> tuple[bytes | None, str | None, str | None]:
    try:
        data = load()
    except Exception as exc:  # noqa: BLE001 - as above
        return None, None, failure_reason(exc)
    return data, hashlib.sha256(data).hexdigest(), None


def read_in_order(jobs, workers: int | None = None, checks: bool = False, known=None, window: int | None = None):
    """Outcomes of `jobs` in order. `known(sha256)` -> True skips reading a file the library already holds
    (its Outcome has no reading and no failure). `window`: files in flight (default WINDOW_PER_WORKER per
    worker); a caller that stores in batches keeps a batch's worth in flight, so the readers go on reading
    while it writes."""
    jobs = list(jobs)
    workers = default_workers(len(jobs)) if workers is None else workers
    if workers <= 0:
        for name, load in jobs:
            yield _outcome_here(name, load, checks, known)
        return
    try:  # spawn, never fork: the desk runs this from a worker thread of a Qt process
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    except (OSError, ValueError):
        pool = None
    pending: deque = deque()
    limit = window or max(1, workers) * WINDOW_PER_WORKER
    it = iter(jobs)
    try:
        while True:
            while len(pending) < limit:
                job = next(it, None)
                if job is None:
                    break
                pending.append(_submit(pool, job, checks, known))
            if not pending:
                break
            name, sha, data, future, failed = pending.popleft()
            if failed is not None or (future is None and data is None):
                yield Outcome(name, sha, failed=failed)
                continue
            try:
                reading, result = future.result() if future is not None else _read(name, data, checks)
            except (BrokenProcessPool, OSError, RuntimeError):  # workers could not start or died: read here
                pool = _discard(pool)
                reading, result = _read(name, data, checks)
            if reading is None and result == NEEDS_OCR:  # a scan: recognised here, under the caller's progress
                reading, result = _read(name, data, checks)
            yield (Outcome(name, sha, failed=result) if reading is None
                   else Outcome(name, sha, reading=reading, findings=result[0], prepared=result[1]))
    finally:
        for entry in pending:
            if entry[3] is not None:
                entry[3].cancel()
        _discard(pool)


def _discard(pool):
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    return None


def _submit(pool, job, checks, known):
    """(name, sha, data, future, failure): the bytes are kept until read, to read them here if the pool fails."""
    name, load = job
    data, sha, failed = _load(name, load)
    if failed is not None:
        return name, None, None, None, failed
    if known is not None and known(sha):
        return name, sha, None, None, None
    if pool is None:
        return name, sha, data, None, None
    try:
        return name, sha, data, pool.submit(_read, name, data, checks, True), None
    except (BrokenProcessPool, OSError, RuntimeError):
        return name, sha, data, None, None


def _outcome_here(name, load, checks, known) -> Outcome:
    data, sha, failed = _load(name, load)
    if failed is not None:
        return Outcome(name, failed=failed)
    if known is not None and known(sha):
        return Outcome(name, sha)
    assert data is not None  # _load gives the bytes unless it failed
    reading, result = _read(name, data, checks)
    if reading is None:
        return Outcome(name, sha, failed=result)
    return Outcome(name, sha, reading=reading, findings=result[0], prepared=result[1])
