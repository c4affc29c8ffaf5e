"""A real PostgreSQL server for tests: initdb in a temporary folder, pg_ctl on a loopback port and a Unix socket.

PgServer.start() finds the binaries (PG_BINDIR, pg_config, /usr/lib/postgresql/*/bin), makes a cluster whose
superuser `postgres` has a password (scram-sha-256 everywhere, so wrong passwords are really refused) and starts it;
stop() stops it (`pg_ctl stop -m fast`, or immediate). PostgreSQL refuses to run as root: when the tests run as root
(CI) the cluster belongs to an unprivileged system user (`postgres` when Debian's package made one, else `nobody`)
and every server program runs under `runuser -u USER`.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "postgres"
SUPER_PASSWORD = "超级-pw-1"


def bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL's server programs are not installed."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    if shutil.which("pg_config"):
        try:
            candidates.append(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                             check=True).stdout.strip())
        except (OSError, subprocess.CalledProcessError):
            pass
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    candidates.append(os.path.dirname(shutil.which("initdb") or ""))
    for c in candidates:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """One PostgreSQL cluster in a temporary folder, owned by this process (or by an unprivileged user as root)."""

    def __init__(self, bin_dir: Path | None = None):
        self.bin = bin_dir or bindir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL server programs not found")
        self.root = Path(tempfile.mkdtemp(prefix="fzpg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.port = _free_port()
        self.user = None
        if os.geteuid() == 0:
            self.user = next(u for u in ("postgres", "nobody") if _user_exists(u))

    # ------------------------------------------------------------------ running server programs
    def _cmd(self, *args) -> list[str]:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return [*prefix, *map(str, args)]

    def _run(self, *args, timeout=120) -> subprocess.CompletedProcess:
        return subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout, check=True,
                              cwd=self.root, env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})

    def start(self) -> "PgServer":
        self.sock.mkdir()
        pwfile = self.root / "pw"
        pwfile.write_text(SUPER_PASSWORD + "\n", encoding="utf-8")
        if self.user:
            entry = pwd.getpwnam(self.user)
            for p in (self.root, self.sock, pwfile):
                os.chown(p, entry.pw_uid, entry.pw_gid)
        self._run(self.bin / "initdb", "-D", self.data, "-U", SUPERUSER, "--pwfile", pwfile, "-E", "UTF8",
                  "--locale=C.UTF-8", "--auth=scram-sha-256", "-N")
        pwfile.unlink()
        conf = self.data / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as fh:  # fast and small: a test cluster, thrown away afterwards
            fh.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                     f"unix_socket_directories = '{self.sock}'\nfsync = off\n"
                     "full_page_writes = off\nshared_buffers = 32MB\nmax_connections = 40\n")
        self.start_again()
        return self

    def start_again(self) -> None:
        """Start the (stopped) cluster and wait until it accepts connections."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.root / "log", "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop")
            except subprocess.CalledProcessError:
                pass

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ addresses
    def url(self, user: str = SUPERUSER, password: str | None = SUPER_PASSWORD, dbname: str = "postgres") -> str:
        from urllib.parse import quote

        auth = quote(user, safe="") + (":" + quote(password, safe="") if password is not None else "")
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database; its superuser URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(dbname=name)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


REVIEWERS = ("张敏", "李强", "王芳")


def team_database(server: PgServer, superuser_url: str, reviewers=REVIEWERS) -> dict[str, str]:
    """`server init` on the database at `superuser_url` and a login role per reviewer (password = name + "-pw");
    reviewer name -> that reviewer's URL (password included), plus "admin" -> the superuser's URL."""
    import psycopg

    from desktop.server import schema

    dbname = superuser_url.rsplit("/", 1)[1]
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        schema.init(conn)
        for name in reviewers:
            schema.add_reviewer(conn, name, password=f"{name}-pw")
    out = {name: server.url(name, f"{name}-pw", dbname) for name in reviewers}
    out["admin"] = superuser_url
    return out
