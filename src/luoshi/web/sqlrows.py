"""Model instances from hand-written SQL, for the queries every page view runs.

Compiling an ORM query costs about half a millisecond of Python, more than running it on an
indexed key; the task page ran six of them and every signed-in request one more for its user.
Here the SQL is written once per process and the rows become the same model instances the ORM
would give, with the database's value converters applied (SQLite hands dates back as text).

A query selects ``columns(Model, alias)`` for each model in the order the models are passed to
``instances``; a model whose primary key comes back NULL (a LEFT JOIN that found nothing) is None.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connections
from django.db.models import Model


@functools.cache
def _fields(model: type[Model]) -> tuple:
    return tuple(model._meta.concrete_fields)


@functools.cache
def columns(model: type[Model], alias: str) -> str:
    """``alias.col, ...`` for every concrete field of ``model``, in field order."""
    quote = connections["default"].ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in _fields(model))


@functools.cache
def _converters(model: type[Model], using: str) -> tuple:
    connection = connections[using]
    out = []
    for i, field in enumerate(_fields(model)):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if found:
            out.append((i, col, tuple(found)))
    return tuple(out)


def _instance(model: type[Model], values: list, using: str):
    if values[_pk_index(model)] is None:
        return None
    connection = connections[using]
    for i, col, converters in _converters(model, using):
        for convert in converters:
            values[i] = convert(values[i], col, connection)
    return model.from_db(using, None, values)


@functools.cache
def _pk_index(model: type[Model]) -> int:
    return _fields(model).index(model._meta.pk)


def instances(sql: str, params: Sequence, *models: type[Model], using: str = "default") -> list[tuple]:
    """Each row of ``sql`` as a tuple of instances, one per model, columns taken in that order."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    widths = [len(_fields(m)) for m in models]
    out = []
    for row in rows:
        start, made = 0, []
        for model, width in zip(models, widths, strict=True):
            made.append(_instance(model, list(row[start : start + width]), using))
            start += width
        out.append(tuple(made))
    return out


def table(model: type[Model]) -> str:
    """The quoted table name of ``model``."""
    return connections["default"].ops.quote_name(model._meta.db_table)
