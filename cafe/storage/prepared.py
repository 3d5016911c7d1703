"""Core statements compiled once per dialect and run on the DB-API cursor: for the note hot path only.

Every `Connection.execute` of a cached statement still costs a cache lookup, an execution context,
parameter processing and a result object: about 80 µs, against 15 µs for SQLite's own work on a
note's statement. A `Prepared` statement pays those once per dialect. It keeps what matters of the
normal path: the column types' bind and result processors, the statement's fixed parameters (a
LIMIT), and DB-API errors raised as SQLAlchemy's (`IntegrityError`, `OperationalError`), with a
dropped connection invalidated as SQLAlchemy would do it. Of the engine events it sends only
`before_cursor_execute`, and only when someone listens (statement counts in tests and benchmarks).

On a `BareConnection` (a DB-API connection from the engine's pool, without SQLAlchemy's `Connection`
around it) a statement costs less again: no Connection, transaction or event objects. It sends no
engine events, so a writer takes one only while nobody listens to its engine (`listened`).
"""
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import Executable
from sqlalchemy.sql.cache_key import NO_CACHE


@dataclass(frozen=True)
class _Compiled:
    """One statement for one dialect: its SQL, how to build its parameters, how to read its row."""

    sql: str
    names: tuple[str, ...]  # the DB-API's parameter names, in positional order when the paramstyle is positional
    positional: bool
    fixed: dict[str, Any]  # parameters with a value in the statement itself (already processed)
    binds: tuple[tuple[str, Callable], ...]  # names given at execution that have a processor, with it
    results: tuple[Callable | None, ...]  # one per returned column

    def arguments(self, values: dict) -> tuple | dict:
        """The DB-API parameters for `values`: processed, in the statement's order when positional.

        One value given for several parameters of the same type (a note's created_at and updated_at)
        is processed once.
        """
        params = {**values, **self.fixed}  # a fixed parameter is never among the values given
        last = None
        for name, process in self.binds:
            value = params[name]
            if value is not None:
                if last is None or last[0] is not process or last[1] is not value:
                    last = (process, value, process(value))
                params[name] = last[2]
        if not self.positional:
            return {name: params[name] for name in self.names}
        return tuple(params[name] for name in self.names) if len(self.names) < 2 else itemgetter(*self.names)(params)


@dataclass(frozen=True)
class BareConnection:
    """A DB-API connection checked out of an engine's pool, and the engine's dialect.

    The driver begins the transaction itself before the first write (pysqlite and psycopg do, unless
    set to autocommit); the caller commits, and `close` gives the connection back to the pool, rolled
    back unless committed.
    """

    dbapi: PoolProxiedConnection
    dialect: Dialect

    @classmethod
    def checkout(cls, engine: Engine) -> "BareConnection":
        """A connection from the engine's pool."""
        return cls(engine.raw_connection(), engine.dialect)

    def commit(self) -> None:
        """Commit the connection's transaction."""
        self.dbapi.commit()

    def rollback(self) -> None:
        """Roll the connection's transaction back."""
        self.dbapi.rollback()

    def close(self) -> None:
        """Back to the pool (which rolls back what was not committed)."""
        self.dbapi.close()


def listened(engine: Engine) -> bool:
    """Whether someone listens to the statements run on the engine (a statement count in a test)."""
    return bool(engine.dispatch.before_cursor_execute)


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
        constructed = compiled.construct_params(dict.fromkeys(self.params))
        names = tuple(compiled.positiontup) if compiled.positional else tuple(constructed)
        by_type = {}  # parameters of equal types share one processor, so `arguments` can tell them alike
        processors = {name: _bind_processor(bind.type, dialect, by_type) for name, bind in compiled.binds.items()}
        unknown = set(self.params) - set(compiled.binds)
        if unknown:
            raise ValueError(f"no such bind parameters: {sorted(unknown)}")
        fixed = {}
        for name, value in constructed.items():
            if name not in self.params:
                process = processors[name]
                fixed[name] = process(value) if process else value
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in getattr(self.statement, "exported_columns", ()))
        prepared = _Compiled(compiled.string, names, compiled.positional, fixed,
                             tuple((name, processors[name]) for name in self.params if processors[name]), results)
        self._compiled[dialect.name] = prepared
        return prepared

    def first(self, connection: Connection | BareConnection, values: dict) -> tuple | None:
        """Execute in the connection's transaction; return the first returned row, processed, or None."""
        if isinstance(connection, BareConnection):
            return self._first_bare(connection, values)
        compiled = self._compiled.get(connection.dialect.name) or self._compile(connection.dialect)
        arguments = compiled.arguments(values)
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
        return _processed(compiled, row)

    def _first_bare(self, connection: BareConnection, values: dict) -> tuple | None:
        """`first` on a DB-API connection from the pool: no Connection, no engine events."""
        dialect = connection.dialect
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        arguments = compiled.arguments(values)
        cursor = connection.dbapi.cursor()
        try:
            cursor.execute(compiled.sql, arguments)
            row = cursor.fetchone() if compiled.results else None
        except dialect.loaded_dbapi.Error as error:
            dropped = dialect.is_disconnect(error, connection.dbapi.dbapi_connection, cursor)
            if dropped:
                connection.dbapi.invalidate(error)
            raise DBAPIError.instance(compiled.sql, arguments, error, dialect.loaded_dbapi.Error,
                                      connection_invalidated=dropped, dialect=dialect) from error
        finally:
            cursor.close()
        return _processed(compiled, row)

    def inserted_id(self, connection: Connection, values: dict) -> int:
        """Execute an INSERT … RETURNING id and return the new row's id."""
        return self.first(connection, values)[0]


def _bind_processor(type_, dialect: Dialect, by_type: dict) -> Callable | None:
    """The type's bind processor for the dialect, the same function for types with equal cache keys."""
    key = type_._static_cache_key
    if key is NO_CACHE:  # a type that cannot say what it is equal to keeps a processor of its own
        key = id(type_)
    if key not in by_type:
        by_type[key] = type_.dialect_impl(dialect).bind_processor(dialect)
    return by_type[key]


def _processed(compiled: _Compiled, row: tuple | None) -> tuple | None:
    """A returned row through its columns' result processors (None stays None)."""
    if row is None:
        return None
    return tuple(process(value) if process is not None else value
                 for process, value in zip(compiled.results, row))


def _raise(connection: Connection, sql: str, arguments, error: Exception, cursor) -> None:
    """Raise a DB-API error as SQLAlchemy would, invalidating the connection when it was dropped."""
    dialect = connection.dialect
    dropped = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
    if dropped:
        connection.invalidate(error)
    raise DBAPIError.instance(sql, arguments, error, dialect.loaded_dbapi.Error,
                              connection_invalidated=dropped, dialect=dialect) from error
