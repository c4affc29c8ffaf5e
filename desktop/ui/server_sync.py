"""文件 → 与服务器同步…: the team server's address (remembered in the library, never a password), the password asked
once per session when libpq has none, progress while a first sync merges, and 上次同步 in the status bar."""
from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit

from desktop.ui.errors import show_error
from desktop.ui.files import job_library
from desktop.ui.workers import run_job

ADDRESS_HINT = ("团队服务器的地址：\n如 postgresql://张敏@192.168.1.10/fazhi，或 pg_service.conf 中的服务名\n"
                "（密码不保存在审阅库中）")


class ServerSync:
    """Owned by the main window; `window` gives desk, reload_library and the status bar."""

    def __init__(self, window):
        self.window = window
        self._passwords: dict[str, str] = {}  # address -> password given in this session (memory only)
        self.label = QLabel()
        self.label.setObjectName("lastSyncLabel")
        window.statusBar().addPermanentWidget(self.label)
        self.refresh_label()

    @property
    def desk(self):
        return self.window.desk

    def refresh_label(self) -> None:
        """上次同步 of the open library (empty when it never synced, or before a library is open: the first window
        imports neither the store nor the server)."""
        if self.desk.repo is None:
            self.label.setText("")
            return
        from desktop.server.sync import when_text
        from desktop.store.sync_marks import last_sync

        try:
            mark = last_sync(self.desk.repo)
        except Exception:  # noqa: BLE001 - a library from before migration 0013 (read-only): nothing to show
            mark = None
        self.label.setText(f"上次同步：{when_text(mark.last_sync)}" if mark else "")
        self.label.setToolTip(f"服务器：{mark.address}（审阅人 {mark.reviewer}）" if mark else "")

    def ask_address(self) -> str | None:
        from desktop.store.sync_marks import server_address

        known = server_address(self.desk.repo) or ""
        text, ok = QInputDialog.getText(self.window, "与服务器同步", ADDRESS_HINT, QLineEdit.EchoMode.Normal, known)
        return text.strip() if ok and text.strip() else None

    def ask_password(self, address: str) -> str | None:
        text, ok = QInputDialog.getText(self.window, "服务器密码", f"请输入登录 {_short(address)} 的密码\n"
                                        "（本次打开期间记住，不保存）", QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def sync(self, address: str | None = None, *, ask_password=None, on_finished=None):
        """Sync the open library with the server (asking its address unless given); `ask_password(address)` replaces
        the password prompt (tests); `on_finished(result or None)` after it ended."""
        address = address or self.ask_address()
        if not address:
            return None
        library, who = self.desk.library_path, self.desk.who()

        def job(progress):
            from desktop.server.sync import sync

            repo = job_library(library)
            try:
                return sync(repo, address, password=self._passwords.get(address), who=who,
                            progress=lambda text, done, total: progress(done, total, text))
            finally:
                repo.close()

        def done(result) -> None:
            from desktop.server.connection import without_password
            from desktop.store.sync_marks import remember_address

            remember_address(self.desk.repo, without_password(address))
            if result.downloaded:
                self.desk.undo_stack.clear()  # the library changed outside the undo stack
                self.window.reload_library()
            self.refresh_label()
            extra = f"；新增报告 {result.new_reports} 份" if result.new_reports else ""
            self.window.statusBar().showMessage(f"已同步：{result.line()}{extra}", 15000)
            if on_finished:
                on_finished(result)

        def failed(exc, text) -> None:
            from desktop.server.connection import NeedPassword, ServerError
            from desktop.ui.errors import log

            if isinstance(exc, NeedPassword):
                password = (ask_password or self.ask_password)(address)
                if password:
                    self._passwords[address] = password
                    self.sync(address, ask_password=ask_password, on_finished=on_finished)
                    return
            elif isinstance(exc, ServerError):
                if "密码不对" in str(exc):
                    self._passwords.pop(address, None)  # asked again next time
                show_error(self.window, f"{exc}\n\n本库未受影响。", title="与服务器同步")
            else:
                log.error("server sync failed\n%s", text)
                show_error(self.window, "同步未完成，本库未受影响；详细信息已记入日志。", title="与服务器同步")
            if on_finished:
                on_finished(None)

        return run_job(self.window, "与服务器同步", job, on_done=done, on_error=failed)


def _short(address: str) -> str:
    from desktop.server.connection import without_password

    return without_password(address)
