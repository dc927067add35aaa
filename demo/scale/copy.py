"""Rows written in bulk with PostgreSQL COPY, each model's history row beside it.

Rows are plain dicts keyed by the model's attribute names; anything left out takes the field's
default. Ids are given by the generator (so rows can point at each other before anything is
written) and the sequences are moved past them at the end.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED


class _Spec:
    """How one model's rows become COPY lines: its table, columns and defaults."""

    def __init__(self, model: type[models.Model], *, skip: tuple[str, ...] = ()) -> None:
        fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
        self.table = model._meta.db_table
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = {f.attname: _default(f) for f in fields}
        self.json = {f.attname for f in fields if isinstance(f, models.JSONField)}

    def row(self, values: dict[str, Any]) -> tuple:
        defaults = self.defaults
        out = []
        for name in self.attnames:
            value = values[name] if name in values else defaults[name]
            if name in self.json:
                value = json.dumps(value)
            out.append(value)
        return tuple(out)


def _default(field: models.Field) -> Any:
    if field.default is not NOT_PROVIDED and not callable(field.default):
        return field.default
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    return None  # a NOT NULL column the generator must fill: COPY says which if it does not


class BulkWriter:
    """Buffers rows per table and writes them with COPY on ``flush``."""

    def __init__(self) -> None:
        self._specs: dict[Any, _Spec] = {}
        self._rows: dict[Any, list[tuple]] = defaultdict(list)
        self._ids: dict[type[models.Model], int] = {}
        self._history: dict[type[models.Model], type[models.Model]] = {}
        self.written: dict[str, int] = defaultdict(int)

    def start_ids(self, *model_classes: type[models.Model]) -> None:
        with connection.cursor() as cursor:
            for model in model_classes:
                table = model._meta.db_table  # a model's own table name, not input
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
                self._ids[model] = cursor.fetchone()[0]

    def next_id(self, model: type[models.Model]) -> int:
        self._ids[model] += 1
        return self._ids[model]

    def _spec(self, key, model, skip=()) -> _Spec:
        spec = self._specs.get(key)
        if spec is None:
            spec = self._specs[key] = _Spec(model, skip=skip)
        return spec

    def add(self, model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
        self._rows[model].append(self._spec(model, model).row(values))
        return values

    def add_history(
        self,
        model: type[models.Model],
        values: dict[str, Any],
        *,
        kind: str,
        at: datetime,
        by: int | None,
        reason: str = "",
    ) -> None:
        """One simple-history row of ``values`` as it stood at ``at`` (kind "+", "~" or "-")."""
        history = self._history.get(model)
        if history is None:  # ``model.history`` builds a manager on every access: keep it
            history = self._history[model] = model.history.model
        spec = self._spec(history, history, skip=("history_id",))
        extra = {
            "history_type": kind,
            "history_date": at,
            "history_user_id": by,
            "history_change_reason": reason or None,
        }
        self._rows[history].append(spec.row({**values, **extra}))

    def add_with_history(
        self, model: type[models.Model], values: dict[str, Any], *, at: datetime, by: int | None
    ) -> dict[str, Any]:
        self.add(model, values)
        self.add_history(model, values, kind="+", at=at, by=by)
        return values

    def pending(self) -> int:
        return sum(len(rows) for rows in self._rows.values())

    def flush(self) -> None:
        raw = connection.connection  # the psycopg connection under Django's
        with raw.cursor() as cursor:
            for key, rows in self._rows.items():
                if not rows:
                    continue
                spec = self._specs[key]
                columns = ", ".join(f'"{c}"' for c in spec.columns)
                with cursor.copy(f'COPY "{spec.table}" ({columns}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                self.written[spec.table] += len(rows)
        self._rows.clear()

    def reset_sequences(self) -> None:
        """Move every generated table's id sequence past the ids given here."""
        with connection.cursor() as cursor:
            for model in self._ids:
                table = model._meta.db_table
                last = f'(SELECT MAX(id) FROM "{table}")'  # noqa: S608 - the model's table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"GREATEST({last}, 1))"
                )
