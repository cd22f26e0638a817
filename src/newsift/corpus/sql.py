"""One SQL layer over SQLite (WAL mode) and PostgreSQL (psycopg 3).

Statements are written once with ``?`` placeholders and portable SQL (``INSERT ... ON CONFLICT``,
``TEXT``/``INTEGER``/``REAL`` columns, JSON kept as text); :class:`Database` converts the placeholders for
PostgreSQL and turns lock and permission errors into :class:`InputError`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsift.errors import InputError

DEFAULT_DB = "newsift.db"
BUSY_TIMEOUT_SECONDS = 10.0


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class Database:
    """A connection to the store with the dialect it speaks (``sqlite`` or ``postgres``)."""

    def __init__(self, url: str = DEFAULT_DB, *, timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.url = url
        self.dialect = "postgres" if is_postgres(url) else "sqlite"
        self.conn = self._connect_postgres() if self.dialect == "postgres" else self._connect_sqlite(timeout)

    def _connect_sqlite(self, timeout: float) -> sqlite3.Connection:
        uri = self.url.startswith("file:")
        if not uri and Path(self.url).parent and not Path(self.url).parent.exists():
            raise InputError(f"{self.url}: the folder {Path(self.url).parent} does not exist")
        try:
            conn = sqlite3.connect(self.url, timeout=timeout, uri=uri, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            if not _read_only_uri(self.url):
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal":
                    conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            raise self._input_error(exc) from None
        return conn

    def _connect_postgres(self):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise InputError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from exc
        try:
            return psycopg.connect(self.url, autocommit=True)
        except psycopg.Error as exc:
            raise InputError(
                f"cannot connect to {_redacted(self.url)}: {str(exc).strip().splitlines()[0]}"
            ) from None

    def _input_error(self, exc: Exception) -> InputError:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = _redacted(self.url)
        if "locked" in message or "could not obtain lock" in message:
            return InputError(
                f"{where}: the database is locked by another process; try again when it is done"
            )
        if "readonly" in message or "read-only" in message or "permission denied" in message.lower():
            return InputError(f"{where}: the database is read-only ({message})")
        if "unable to open" in message:
            return InputError(f"{where}: cannot open the database ({message})")
        return InputError(f"{where}: database error: {message}")

    def _sql(self, statement: str) -> str:
        return statement.replace("%", "%%").replace("?", "%s") if self.dialect == "postgres" else statement

    def _errors(self) -> tuple[type[Exception], ...]:
        if self.dialect == "postgres":
            import psycopg

            return (psycopg.Error,)
        return (sqlite3.Error,)

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except self._errors() as exc:
            raise self._input_error(exc) from None

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run one statement; the rows it returns (empty for statements without a result)."""
        with self._translated():
            cur = self.conn.execute(self._sql(statement), tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._translated():
            cur = self.conn.cursor()
            cur.executemany(self._sql(statement), [tuple(r) for r in rows])

    def select_in(
        self, statement: str, values: Sequence[Any], params: Sequence[Any] = (), size: int = 500
    ) -> Iterator[tuple]:
        """Rows of a query whose ``IN ({})`` takes ``values``, ``size`` of them a statement; ``params`` fill
        the placeholders before it."""
        for i in range(0, len(values), size):
            part = list(values[i : i + size])
            yield from self.execute(statement.format(", ".join("?" * len(part))), [*params, *part])

    def iterate(self, statement: str, params: Sequence[Any] = (), size: int = 500) -> Iterator[tuple]:
        """Rows of a query, fetched ``size`` at a time."""
        with self._translated():
            cur = self.conn.cursor()
            cur.execute(self._sql(statement), tuple(params))
            while rows := cur.fetchmany(size):
                yield from rows

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all."""
        with self._translated():
            if self.dialect == "postgres":
                with self.conn.transaction():
                    yield
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def _read_only_uri(url: str) -> bool:
    return url.startswith("file:") and "mode=ro" in url


def _redacted(url: str) -> str:
    """The URL without its password."""
    if is_postgres(url) and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url
