"""Core statements compiled once per dialect and run on the DB-API cursor: for the note hot path only.

Every `Connection.execute` of a cached statement still costs a cache lookup, an execution context,
parameter processing and a result object: about 80 µs, against 15 µs for SQLite's own work on a
note's statement. A `Prepared` statement pays those once per dialect. It keeps what matters of the
normal path: the column types' bind and result processors, the statement's fixed parameters (a
LIMIT), and DB-API errors raised as SQLAlchemy's (`IntegrityError`, `OperationalError`), with a
dropped connection invalidated as SQLAlchemy would do it. Of the engine events it sends only
`before_cursor_execute`, and only when someone listens (statement counts in tests and benchmarks).
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable


@dataclass(frozen=True)
class _Compiled:
    """One statement for one dialect: its SQL, how to build its parameters, how to read its row."""

    sql: str
    names: tuple[str, ...]  # bind parameter names, in positional order when the paramstyle is positional
    positional: bool
    fixed: dict[str, Any]  # parameters with a value in the statement itself (already processed)
    binds: tuple[tuple[str, Callable | None], ...]  # names given at execution, with their processors
    results: tuple[Callable | None, ...]  # one per returned column


class Prepared:
    """A Core statement, compiled on first use for each dialect and executed without SQLAlchemy's
    per-statement machinery. `params` must name every bind parameter without a value of its own."""

    def __init__(self, statement: Executable, params: tuple[str, ...]):
        self.statement = statement
        self.params = params
        self._compiled: dict[str, _Compiled] = {}

    @classmethod
    def insert(cls, table: Table, columns: tuple[str, ...], returning=None) -> "Prepared":
        """An INSERT of the named columns (each a parameter of the same name and the column's type)."""
        statement = insert(table).values({name: bindparam(name, type_=table.c[name].type) for name in columns})
        return cls(statement.returning(returning) if returning is not None else statement, columns)

    def _compile(self, dialect: Dialect) -> _Compiled:
        """Compile for this dialect and look up the processors of every parameter and returned column."""
        compiled = self.statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup) if compiled.positional else tuple(compiled.binds)
        processors = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                      for name, bind in compiled.binds.items()}
        unknown = set(self.params) - set(compiled.binds)
        if unknown:
            raise ValueError(f"no such bind parameters: {sorted(unknown)}")
        fixed = {}
        for name, value in compiled.construct_params(dict.fromkeys(self.params)).items():
            if name not in self.params:
                process = processors[name]
                fixed[name] = process(value) if process else value
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in getattr(self.statement, "exported_columns", ()))
        prepared = _Compiled(compiled.string, names, compiled.positional, fixed,
                             tuple((name, processors[name]) for name in self.params), results)
        self._compiled[dialect.name] = prepared
        return prepared

    def first(self, connection: Connection, values: dict) -> tuple | None:
        """Execute in the connection's transaction; return the first returned row, processed, or None."""
        compiled = self._compiled.get(connection.dialect.name) or self._compile(connection.dialect)
        params = dict(compiled.fixed)
        for name, process in compiled.binds:
            value = values[name]
            params[name] = process(value) if process is not None and value is not None else value
        arguments = tuple(params[name] for name in compiled.names) if compiled.positional else params
        if not connection.in_transaction():
            connection.begin()  # as `Connection.execute` autobegins: the caller's commit then commits
        cursor = connection.connection.cursor()
        dispatch = connection.dispatch
        if dispatch.before_cursor_execute:
            dispatch.before_cursor_execute(connection, cursor, compiled.sql, arguments, None, False)
        try:
            cursor.execute(compiled.sql, arguments)
            row = cursor.fetchone() if compiled.results else None
        except connection.dialect.loaded_dbapi.Error as error:
            _raise(connection, compiled.sql, arguments, error, cursor)
        finally:
            cursor.close()
        if row is None:
            return None
        return tuple(process(value) if process is not None else value
                     for process, value in zip(compiled.results, row))

    def inserted_id(self, connection: Connection, values: dict) -> int:
        """Execute an INSERT … RETURNING id and return the new row's id."""
        return self.first(connection, values)[0]


def _raise(connection: Connection, sql: str, arguments, error: Exception, cursor) -> None:
    """Raise a DB-API error as SQLAlchemy would, invalidating the connection when it was dropped."""
    dialect = connection.dialect
    dropped = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
    if dropped:
        connection.invalidate(error)
    raise DBAPIError.instance(sql, arguments, error, dialect.loaded_dbapi.Error,
                              connection_invalidated=dropped, dialect=dialect) from error
