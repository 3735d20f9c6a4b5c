"""Related rows folded into their parent's query, so a page costs a fixed, small number of queries.

`json_rows(queryset, field=..., ...)` is a correlated subquery (the queryset may use OuterRef)
that returns the queryset's rows as one JSON list, in the queryset's order. Annotate a parent
query with it and turn the list back into model instances with `instances(Model, rows)`:
one query instead of one per relation. Works on SQLite (json_group_array) and PostgreSQL
(jsonb_agg); JSONObject is Django's own cross-database function.
"""

import datetime as dt

from django.db import models
from django.db.models import Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone


class JSONRows(Subquery):
    output_field = models.JSONField()

    def as_sqlite(self, compiler, connection, **extra):
        # json() keeps each object as JSON, not as a quoted string, across the subquery
        template = "(SELECT json_group_array(json(_rows._row)) FROM (%(subquery)s) _rows)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "(SELECT COALESCE(jsonb_agg(_rows._row), '[]'::jsonb) FROM (%(subquery)s) _rows)"
        return self.as_sql(compiler, connection, template=template, **extra)


def json_rows(queryset, **fields) -> JSONRows:
    """The rows of `queryset` as a JSON list of {name: value} built from `fields` (name=field path)."""
    return JSONRows(queryset.annotate(_row=JSONObject(**fields)).values("_row"), output_field=models.JSONField())


def instances(model, rows) -> list:
    """Unsaved-looking but complete model instances from `json_rows` output (values converted by
    the model's own fields, datetimes made aware in UTC as the database stores them)."""
    result = []
    for row in rows or ():
        values = {}
        for name, value in row.items():
            field = model._meta.get_field(name)
            value = field.to_python(value)
            if isinstance(value, dt.datetime) and timezone.is_naive(value):
                value = value.replace(tzinfo=dt.UTC)
            values[field.attname] = value
        obj = model(**values)
        obj._state.adding, obj._state.db = False, "default"
        result.append(obj)
    return result
