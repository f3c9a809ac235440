"""SQLite persistence: connections and other documents (source and target connections, flows, mapping sets,
datasets) per (org, sandbox), issued tokens and extra IMS clients.

One connection guarded by a lock: requests are handled on the server's event loop, the PostgreSQL login test
and the control API may read from worker threads. A file database survives restarts; ``:memory:`` does not.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from typing import Any, Iterator

_SCHEMA = """
CREATE TABLE IF NOT EXISTS connections (
    org TEXT NOT NULL,
    sandbox TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (org, sandbox, id)
);
CREATE TABLE IF NOT EXISTS documents (
    kind TEXT NOT NULL,
    org TEXT NOT NULL,
    sandbox TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (kind, org, sandbox, id)
);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    org TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY,
    client_secret TEXT NOT NULL,
    org TEXT NOT NULL
);
"""


class Store:
    def __init__(self, path: str):
        if path != ":memory:":
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        with self._lock:
            self._db.executescript(_SCHEMA)
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _run(self, sql: str, args: tuple = ()) -> int:
        with self._lock:
            return self._db.execute(sql, args).rowcount

    # connections -----------------------------------------------------------------------------------------
    def insert_connection(self, org: str, sandbox: str, doc: dict[str, Any]) -> None:
        with self._lock:
            (seq,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM connections").fetchone()
            self._db.execute(
                "INSERT INTO connections (org, sandbox, id, seq, doc) VALUES (?, ?, ?, ?, ?)",
                (org, sandbox, doc["id"], seq, json.dumps(doc)),
            )

    def get_connection(self, org: str, sandbox: str, ident: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT doc FROM connections WHERE org=? AND sandbox=? AND id=?", (org, sandbox, ident))
        return json.loads(rows[0][0]) if rows else None

    def replace_connection(self, org: str, sandbox: str, doc: dict[str, Any], expected_etag: str) -> bool:
        """Compare-and-set on the etag, so two concurrent PATCHes cannot both win."""
        with self._lock:
            current = self.get_connection(org, sandbox, doc["id"])
            if current is None or current["etag"] != expected_etag:
                return False
            self._db.execute(
                "UPDATE connections SET doc=? WHERE org=? AND sandbox=? AND id=?",
                (json.dumps(doc), org, sandbox, doc["id"]),
            )
            return True

    def delete_connection(self, org: str, sandbox: str, ident: str) -> bool:
        return self._run("DELETE FROM connections WHERE org=? AND sandbox=? AND id=?", (org, sandbox, ident)) > 0

    def list_connections(self, org: str, sandbox: str) -> list[dict[str, Any]]:
        rows = self._rows("SELECT doc FROM connections WHERE org=? AND sandbox=? ORDER BY seq", (org, sandbox))
        return [json.loads(doc) for (doc,) in rows]

    def all_connections(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for org, sandbox, doc in self._rows("SELECT org, sandbox, doc FROM connections ORDER BY seq"):
            yield org, sandbox, json.loads(doc)

    def clear_connections(self) -> None:
        self._run("DELETE FROM connections")

    # other documents, by kind ("sourceConnection", "flow", "dataSet", ...) -------------------------------------
    def insert_document(self, kind: str, org: str, sandbox: str, doc: dict[str, Any]) -> None:
        with self._lock:
            (seq,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents").fetchone()
            self._db.execute(
                "INSERT INTO documents (kind, org, sandbox, id, seq, doc) VALUES (?, ?, ?, ?, ?, ?)",
                (kind, org, sandbox, doc["id"], seq, json.dumps(doc)),
            )

    def get_document(self, kind: str, org: str, sandbox: str, ident: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT doc FROM documents WHERE kind=? AND org=? AND sandbox=? AND id=?",
                          (kind, org, sandbox, ident))
        return json.loads(rows[0][0]) if rows else None

    def replace_document(self, kind: str, org: str, sandbox: str, doc: dict[str, Any], expected_etag: str) -> bool:
        """Compare-and-set on the etag, as for connections."""
        with self._lock:
            current = self.get_document(kind, org, sandbox, doc["id"])
            if current is None or current.get("etag") != expected_etag:
                return False
            self._db.execute("UPDATE documents SET doc=? WHERE kind=? AND org=? AND sandbox=? AND id=?",
                             (json.dumps(doc), kind, org, sandbox, doc["id"]))
            return True

    def list_documents(self, kind: str, org: str, sandbox: str) -> list[dict[str, Any]]:
        rows = self._rows("SELECT doc FROM documents WHERE kind=? AND org=? AND sandbox=? ORDER BY seq",
                          (kind, org, sandbox))
        return [json.loads(doc) for (doc,) in rows]

    def delete_document(self, kind: str, org: str, sandbox: str, ident: str) -> bool:
        return self._run("DELETE FROM documents WHERE kind=? AND org=? AND sandbox=? AND id=?",
                         (kind, org, sandbox, ident)) > 0

    def clear_documents(self) -> None:
        self._run("DELETE FROM documents")

    # tokens and clients ----------------------------------------------------------------------------------
    def insert_token(self, token: str, client_id: str, org: str, expires_at: float) -> None:
        self._run("INSERT INTO tokens VALUES (?, ?, ?, ?)", (token, client_id, org, expires_at))

    def get_token(self, token: str) -> tuple[str, str, float] | None:
        rows = self._rows("SELECT client_id, org, expires_at FROM tokens WHERE token=?", (token,))
        return rows[0] if rows else None

    def clear_tokens(self) -> None:
        self._run("DELETE FROM tokens")

    def put_client(self, client_id: str, client_secret: str, org: str) -> None:
        self._run("INSERT OR REPLACE INTO clients VALUES (?, ?, ?)", (client_id, client_secret, org))

    def get_client(self, client_id: str) -> tuple[str, str] | None:
        rows = self._rows("SELECT client_secret, org FROM clients WHERE client_id=?", (client_id,))
        return rows[0] if rows else None

    def delete_tokens(self, client_id: str) -> None:
        self._run("DELETE FROM tokens WHERE client_id=?", (client_id,))

    def clear_clients(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM tokens WHERE client_id IN (SELECT client_id FROM clients)")
            self._db.execute("DELETE FROM clients")
