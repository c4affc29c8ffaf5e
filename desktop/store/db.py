"""Open a review library: checks that refuse foreign or newer files, WAL settings, backups, migrations, seeding."""
from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from desktop.store import health, migrations
from desktop.store.backups import BACKUP_SUFFIX, backup_files, prune_backups, write_backup
from desktop.kernel.paths import program_name
from desktop.store.errors import LibraryError, library_error
from desktop.store.library import Library
from desktop.kernel.plain import plain

__all__ = ["LibraryError", "backup_before", "default_library_path", "open_library", "sample_path", "KEEP_BACKUPS"]

APP_NAME = "fazhi-review"
LIBRARY_FILE = "library.db"
SAMPLE_NAME = "sample-hangzhou-sfj-2023.txt"
KEEP_BACKUPS = 7  # automatic backups kept per library (daily and before migrations)
_SQLITE_MAGIC = b"SQLite format 3\x00"


def default_library_path() -> Path:
    """The library in the user's data folder (platformdirs, or $FAZHI_DATA_DIR), e.g. ~/.local/share/fazhi-review/library.db."""
    from desktop.kernel.paths import data_folder

    return data_folder() / LIBRARY_FILE


def sample_path() -> Path | None:
    """The bundled sample report, next to the package in a checkout or inside it when packaged."""
    from desktop.kernel.paths import resource

    return resource(SAMPLE_NAME)


def backup_dir(path: Path) -> Path:
    return path.parent / f"{path.stem}-backups"


def _read_only(path: Path) -> bool:
    """True when the file may not be written: by permission, or by its mode bits (honoured even for root)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def open_library(path=None, *, seed_sample: bool | None = None, timeout: float = 5.0, backups: bool = True,
                 read_damaged: bool = False, quick_open: bool = False) -> Library:
    """Open (or create) the library at `path`; the caller closes it with `Library.close()`.

    A new default library (no `path`) starts with the bundled sample, marked 示例; a library made at a path the
    user names (`--db`, 新建审阅库) starts empty. `seed_sample` True/False overrides that.

    Raises LibraryError, with a Chinese message naming the file, for a locked, read-only or foreign file, a
    damaged one and a library written by a newer version of the program; in each case the file is left untouched.
    With `read_damaged`, a damaged library opens for reading only (SQLite query_only), the message in `notices`.

    `quick_open` (read-only commands): a library closed cleanly (no WAL left) is opened with the cheap structural
    check instead of the full `quick_check`, which then runs before the connection's first write (health.WriteGate):
    a damaged library is still never written, and a command that only reads does not read the whole file first.
    """
    if seed_sample is None:
        seed_sample = not path
    path = Path(path).expanduser() if path else default_library_path()
    if path.is_dir():
        raise LibraryError(f"{path}: 这是一个文件夹，不是审阅库文件", path=path, reason="io")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise LibraryError(f"{path}: 不是普通文件（管道、设备或套接字），不能作为审阅库", path=path, reason="io")
    was_empty = path.exists() and path.stat().st_size == 0
    is_new = not path.exists() or was_empty
    if was_empty:
        _empty_file(path)  # refused when backups exist; otherwise the library is made in it, and we say so
    if is_new:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"{path}: 无法创建审阅库所在的文件夹（{exc.strerror or exc}）", path=path,
                               reason="io") from exc
    else:
        _check_existing_file(path)
    quick_open = quick_open and not is_new and not _wal_left(path)
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise library_error(exc, path, timeout=timeout) from exc
    db = Database(conn, execute_plugins=False)
    repo = Library(db, path, timeout=timeout)
    if was_empty:
        repo.notices.append(f"{path} 是空文件（0 字节），已在其中新建审阅库")
    try:
        if not is_new and not _healthy(repo, quick_open=quick_open, read_damaged=read_damaged):
            return repo  # damaged, opened for reading only
        _prepare(repo, is_new=is_new, backups=backups)
        if is_new and seed_sample and repo.reports.report_count() == 0:
            _seed(repo)
    except LibraryError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise library_error(exc, path, timeout=timeout) from exc
    return repo


def _healthy(repo: Library, *, quick_open: bool, read_damaged: bool) -> bool:
    """False when the library is damaged and opened for reading only (`read_damaged`); LibraryError otherwise."""
    conn, path = repo.db.conn, repo.path
    try:
        if quick_open:
            health.check_structure(conn, path)
            health.WriteGate(path).install(conn)  # quick_check before the first write, if one comes
        else:
            health.check_open(conn, path)  # a damaged file is refused before anything is written to it
    except LibraryError as exc:
        if not read_damaged or exc.reason != "damaged":
            raise
        conn.execute("PRAGMA query_only = 1")  # what can be read is shown; nothing is written
        repo.notices.append(str(exc))
        return False
    return True


def _wal_left(path: Path) -> bool:
    """A write-ahead log with content: the library was not closed cleanly (SQLite removes the log when the last
    connection closes) or another program has it open. Then the full check runs when it is opened."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _empty_file(path: Path) -> None:
    """A 0-byte file: a library lost to a crash or a full disk when backups exist (refused), else a new one."""
    good = health.last_good_backup(path)
    if good is not None:
        raise LibraryError(f"{path}: 审阅库文件是空的（0 字节），可能在写入时被截断；未做任何改动。最近一份完好的备份：{good}；"
                           f"可运行 {program_name()} repair --db {path} 从备份恢复到新文件", path=path, reason="damaged")


def _check_existing_file(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except PermissionError as exc:
        raise LibraryError(f"{path}: 没有读取审阅库文件的权限", path=path, reason="readonly") from exc
    except OSError as exc:
        raise LibraryError(f"{path}: 无法读取审阅库文件（{exc.strerror or exc}）", path=path, reason="io") from exc
    if head != _SQLITE_MAGIC:
        raise LibraryError(f"{path}: 不是审阅库文件（不是 SQLite 数据库），未做任何改动", path=path, reason="not_sqlite")
    if _read_only(path) or not os.access(path.parent, os.W_OK):
        raise LibraryError(f"{path}: 审阅库文件是只读的（或所在文件夹不可写），无法保存审阅内容；"
                           "请复制到可写的位置后用 --db 指定", path=path, reason="readonly")


def _prepare(repo: Library, *, is_new: bool, backups: bool) -> None:
    db, path = repo.db.database, repo.path
    state = migrations.inspect(db)  # read-only: nothing is written before the checks pass
    if state.unknown or state.user_version > migrations.SCHEMA_VERSION:
        raise LibraryError(
            f"{path}: 该审阅库由更新版本的程序创建（库版本 {max(state.user_version, len(state.applied))}，"
            f"本程序支持到 {migrations.SCHEMA_VERSION}），请升级程序后再打开；文件未做任何改动",
            path=path, reason="newer")
    if not state.is_ours:
        raise LibraryError(f"{path}: 这是其他程序的 SQLite 数据库，不是审阅库，未做任何改动", path=path,
                           reason="not_library")
    migrations.configure(db, busy_timeout_ms=int(repo.timeout * 1000))
    pending = migrations.pending(db)
    if pending and state.applied and backups:
        # Never migrate without a copy to go back to.
        _backup(repo, f"before-v{migrations.SCHEMA_VERSION}", required=True)
    elif backups and not is_new and not pending:
        _daily_backup(repo)
    if pending:
        with repo.db.tx():  # the write lock first, so two windows opening at once never migrate twice
            migrations.apply(db)


def _daily_backup(repo: Library) -> None:
    today = datetime.now().strftime("%Y%m%d")
    folder = backup_dir(repo.path)
    _remove_stale_parts(folder, repo.path.stem)
    if any(p.name.startswith(f"{repo.path.stem}-{today}") for p in backup_files(folder, repo.path.stem)):
        return  # a finished copy of today (a .part left by a killed backup is not one)
    health.check_daily(repo.db.conn, repo.path)  # a damaged library never pushes good copies out of the folder
    _backup(repo, "daily", required=False)


def _remove_stale_parts(folder: Path, stem: str, age: float = 3600.0) -> None:
    """Half-written copies of a backup that was killed (older than `age` seconds: not one being written now)."""
    if not folder.is_dir():
        return
    now = time.time()
    for p in folder.glob(f"{stem}-*.part"):
        try:
            if now - p.stat().st_mtime > age:
                p.unlink()
        except OSError:
            pass


def _backup(repo: Library, reason: str, *, required: bool) -> Path | None:
    folder = backup_dir(repo.path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = folder / f"{repo.path.stem}-{stamp}-{reason}{BACKUP_SUFFIX}"
    try:
        write_backup(repo, dest)  # compressed: seven copies take less than two libraries
    except LibraryError as exc:
        if required:
            raise LibraryError(f"{repo.path}: 升级审阅库前无法备份（{exc}），已停止升级，文件未做任何改动",
                               path=repo.path, reason="io") from exc
        repo.notices.append(f"自动备份失败：{exc}")
        return None
    _prune(folder, repo.path.stem, repo.path)
    return dest


def _prune(folder: Path, stem: str, library: Path) -> None:
    """The last KEEP_BACKUPS copies, fewer when they would take more than backups.SIZE_BUDGET × the library."""
    prune_backups(folder, stem, KEEP_BACKUPS, library.stat().st_size if library.exists() else 0)


def _seed(repo: Library) -> None:
    """A new default library starts with the bundled sample so the desk never opens empty on first start."""
    sample = sample_path()
    if sample is None:
        repo.notices.append("未找到内置示例报告，审阅库为空")
        return
    try:
        result = repo.reports.import_file(sample, who="示例")
        repo.removal.mark_sample(result.report.id)  # shown as 示例; left out of exports unless named
    except ImportError:  # the reader is not installed in this build
        repo.notices.append("报告读取模块不可用，未导入内置示例")
    except Exception as exc:  # noqa: BLE001 - a broken sample must not stop the library from opening
        repo.notices.append(f"内置示例导入失败：{plain(exc)}")


def backup_before(repo: Library, reason: str) -> Path:
    """A copy of the library before a step that takes data away (removing reports): that day's backups hold
    what went. LibraryError (nothing done) when the copy cannot be written."""
    dest = _backup(repo, f"before-{reason}", required=False)
    if dest is None:
        raise LibraryError(f"{repo.path}: 无法写入备份，未做任何改动（{repo.notices[-1] if repo.notices else ''}）",
                           path=repo.path, reason="io")
    return dest


def list_backups(path) -> list[Path]:
    path = Path(path)
    folder = backup_dir(path)
    return backup_files(folder, path.stem)
