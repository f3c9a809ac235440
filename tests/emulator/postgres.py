"""Start a real, throwaway PostgreSQL server for the emulator's connection test (``GET /connections/{id}/test``).

Uses the server binaries of Debian's ``postgresql`` package (``.ci/run`` installs it when missing). initdb
refuses to run as root, so as root every server command runs as the ``postgres`` OS user via ``runuser``, in
a temporary directory that user owns. The server listens on 127.0.0.1 and an ephemeral port and requires
SCRAM passwords, so a wrong password really fails to log in.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile

import psycopg

COMMAND_TIMEOUT = 60
ROLE = "aep_reader"
DATABASE = "sales"


def find_postgres_bin() -> str | None:
    for bin_dir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(os.path.join(bin_dir, "initdb"), os.X_OK) and os.access(os.path.join(bin_dir, "pg_ctl"), os.X_OK):
            return bin_dir
    found = shutil.which("initdb")
    return os.path.dirname(found) if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    host = "127.0.0.1"

    def __init__(self, bin_dir: str):
        self.bin_dir = bin_dir
        self.port = _free_port()
        self.superuser_password = secrets.token_urlsafe(16)
        self.password = secrets.token_urlsafe(16)
        self.user = ROLE
        self.database = DATABASE
        self._root = tempfile.mkdtemp(prefix="aep-emulator-pg-")
        self._data = os.path.join(self._root, "data")
        self._as_postgres = os.geteuid() == 0
        self._started = False

    def __repr__(self) -> str:
        return f"PostgresServer(host={self.host!r}, port={self.port}, user={self.user!r})"

    def _run(self, *args: str) -> None:
        cmd = [os.path.join(self.bin_dir, args[0]), *args[1:]]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, cwd=self._root)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")

    def start(self) -> None:
        if self._as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self._root, pw.pw_uid, pw.pw_gid)
        pwfile = os.path.join(self._root, "pwfile")
        with open(pwfile, "w") as f:
            f.write(self.superuser_password + "\n")
        if self._as_postgres:
            os.chown(pwfile, pw.pw_uid, pw.pw_gid)
        os.chmod(pwfile, 0o600)
        self._run("initdb", "-D", self._data, "-U", "postgres", "--auth=scram-sha-256", f"--pwfile={pwfile}",
                  "--encoding=UTF8", "--no-instructions")
        os.unlink(pwfile)
        options = f"-p {self.port} -h {self.host} -k {self._root} -c fsync=off"
        self._run("pg_ctl", "-D", self._data, "-o", options, "-l", os.path.join(self._root, "server.log"),
                  "-w", "-t", "30", "start")
        self._started = True
        with psycopg.connect(host=self.host, port=self.port, dbname="postgres", user="postgres",
                             password=self.superuser_password, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{self.password}'")
            conn.execute(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")

    def stop(self) -> None:
        try:
            if self._started:
                self._run("pg_ctl", "-D", self._data, "-m", "immediate", "-w", "-t", "30", "stop")
        finally:
            self._started = False
            shutil.rmtree(self._root, ignore_errors=True)
