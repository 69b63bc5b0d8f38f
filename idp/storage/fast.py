"""The hot path's statements, compiled once per database and run on the driver's own cursor.

It reads SQLAlchemy's compiled statements (2.1.9: ``positiontup``, ``binds``, the prefetch and
post-compile lists) and calls its engine listeners as ``Connection._execute_context`` does;
tests/unit/test_fast_statements.py holds every row and error to what SQLAlchemy itself gives,
and tests/unit/test_framework_overrides.py pins the version.

The single sign-on round trip runs about a dozen statements (docs/performance.md). Run through
``Connection.execute``, each costs SQLAlchemy's execution context, result set-up and error
wrapping, about 40 µs of Python, where the driver itself takes 6 µs. A ``FastStatement`` keeps
what SQLAlchemy decides once (the SQL text for the dialect, the order of its parameters, the
literal values it binds, the type conversions of JSON columns) and does the rest itself:

- it runs in the same transaction as everything else the request does, on the connection of
  the ORM session's transaction (``transaction.connection()``), so it commits or rolls back with it;
- engine listeners of ``before_cursor_execute`` still see every statement (the statement-count
  tests and the release-log race tests listen there);
- a driver error is raised as SQLAlchemy's exception (``IntegrityError``, ``OperationalError``),
  and a lost connection is invalidated as SQLAlchemy would, so callers and the 503 handling
  cannot tell the difference.

Only plain statements qualify: no Python-side column defaults, no expanding ``IN`` parameters,
no escaped parameter names; anything else is refused when it is first compiled, loudly.
"""

from __future__ import annotations

import operator
from collections import namedtuple
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any
from typing import Generic
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Dialect

RowT = TypeVar("RowT")


class _Form:
    """One statement as one dialect runs it."""

    __slots__ = ("fixed", "pick", "positional", "row", "sql", "to_db", "to_python")

    def __init__(
        self, statement: Any, dialect: Dialect, keys: list[str] | None, shape: Any = None
    ) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=keys)
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise TypeError(f"{statement}: columns with Python-side defaults must be given")
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise TypeError(f"{statement}: expanding or literal-execute parameters")
        if compiled.escaped_bind_names:
            raise TypeError(f"{statement}: parameter names that need escaping")
        self.sql = compiled.string
        self.positional = compiled.positional
        # The driver's parameters in the SQL's order (qmark) or by name (pyformat).
        order = list(compiled.positiontup or ()) if compiled.positional else []
        self.pick: Callable[[dict[str, Any]], Any] = (
            (lambda values: (values[order[0]],))
            if len(order) == 1
            else operator.itemgetter(*order)
            if order
            else (lambda values: ())
        )
        self.fixed = {
            name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required
        }
        self.to_db: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self.to_db[name] = process
        columns = list(statement.exported_columns)  # a SELECT's columns, or what RETURNING gives
        names = [column.name for column in columns]
        if shape is not None and list(shape._fields) != names:
            raise TypeError(f"{statement}: {shape.__name__} must have the fields {names}")
        self.row: Any = shape or (namedtuple("Row", names) if columns else None)
        processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ]
        self.to_python = [(i, process) for i, process in enumerate(processors) if process]

    def parameters(self, given: Mapping[str, Any]) -> Any:
        values = {**self.fixed, **given}
        for name, process in self.to_db.items():
            if name in values:
                values[name] = process(values[name])
        return self.pick(values) if self.positional else values

    def make_row(self, raw: tuple[Any, ...]) -> Any:
        if self.to_python:
            values = list(raw)
            for index, process in self.to_python:
                values[index] = process(values[index])
            return self.row._make(values)
        return self.row._make(raw)


class FastStatement(Generic[RowT]):
    """A Core statement run on the driver's cursor; see the module's docstring.

    Rows come as named tuples: of ``shape`` (a ``NamedTuple`` with the statement's columns as
    fields, in order) when given, else of a tuple type made for the statement. An ``INSERT``
    without values is compiled for the columns each call gives, like SQLAlchemy does; callers of
    one statement give the same columns every time, so it compiles once.
    """

    def __init__(self, statement: Any, shape: type[RowT] | None = None) -> None:
        self.statement = statement
        self.shape = shape
        self._insert = isinstance(statement, sa.Insert)
        self._forms: dict[tuple[str, str, tuple[str, ...]], _Form] = {}

    def first(self, connection: Connection, params: Mapping[str, Any]) -> RowT | None:
        """The first row, or None."""
        form, cursor = self._run(connection, params)
        try:
            raw = cursor.fetchone()
        finally:
            cursor.close()
        return None if raw is None else form.make_row(raw)

    def run(self, connection: Connection, params: Mapping[str, Any]) -> int:
        """Run it for its effect; the number of rows it changed."""
        _form, cursor = self._run(connection, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _form(self, dialect: Dialect, params: Mapping[str, Any]) -> _Form:
        columns = tuple(params) if self._insert else ()
        key = (dialect.name, dialect.driver, columns)
        form = self._forms.get(key)
        if form is None:
            form = _Form(self.statement, dialect, list(columns) or None, self.shape)
            self._forms[key] = form
        return form

    def _run(self, connection: Connection, params: Mapping[str, Any]) -> tuple[_Form, Any]:
        dialect = connection.dialect
        form = self._form(dialect, params)
        parameters = form.parameters(params)
        driver: Any = connection.connection.driver_connection
        cursor = driver.cursor()
        listeners = connection.dispatch.before_cursor_execute
        sql = form.sql
        if listeners:
            for listen in listeners:  # as Connection._execute_context calls them
                sql, parameters = listen(connection, cursor, sql, parameters, None, False)
        try:
            cursor.execute(sql, parameters)
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            lost = dialect.is_disconnect(error, driver, cursor)
            if lost:
                connection.invalidate(error)
            raise sa.exc.DBAPIError.instance(
                sql,
                parameters,
                error,
                dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=dialect,
            ) from error
        return form, cursor
