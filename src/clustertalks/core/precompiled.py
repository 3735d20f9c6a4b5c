"""Queries compiled to SQL once per process, then run with other values.

Django compiles a queryset to SQL on every evaluation: for the talk page's wide query (joins,
JSON folds) and its prefetches that is a large part of a cache miss's CPU, though the SQL is
the same every time but for one value (the slug, the talk's id). `Precompiled` builds its
queryset once with a placeholder value, compiles it once per database connection, and on each
call runs that SQL with the placeholder's parameter replaced, turning the rows into instances
with Django's own machinery as ModelIterable uses it (the converters, from_db(), the
RelatedPopulators of select_related, the annotations), then runs any prefetches as usual. The SQL, hence the query count and the rows, are exactly Django's.

    TALKS = Precompiled(lambda slug: Talk.objects.select_related("series").filter(slug=slug),
                        slug="\\x00slug\\x00")
    talks = TALKS.fetch(slug="my-talk")          # a list, not a queryset

A `values_list()` queryset is run with `rows()` instead, which gives its tuples as Django
converts them (dates, booleans...), e.g. the sign-up's lock on the talk row.

Only for querysets whose SQL does not depend on anything but the placeholders (not on the
active language, the time or settings): the build function runs once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

from .prepared import prepared_cursor


class Precompiled:
    def __init__(self, build: Callable[..., QuerySet], *, prepare: bool = False, **placeholders):
        """`prepare`: on PostgreSQL, also have the server parse and plan the SQL once per
        connection (core/prepared.py), for the queries of every sign-up."""
        self.build, self.placeholders, self.prepare = build, placeholders, prepare
        self._template: QuerySet | None = None

    def template(self) -> QuerySet:
        if self._template is None:
            self._template = self.build(**self.placeholders)
        return self._template

    def compiled(self) -> _Compiled:
        template = self.template()
        connection = connections[template.db]
        # Kept on the connection (one per thread): its converters belong to it, and it goes
        # with the connection when a thread ends.
        kept = connection.__dict__.setdefault("_precompiled_queries", {})
        found = kept.get(self)
        if found is None:
            compiler = template.all().query.get_compiler(using=template.db)
            sql, params = compiler.as_sql()
            slots = {
                index: name for index, value in enumerate(params)
                for name, placeholder in self.placeholders.items()
                if type(value) is type(placeholder) and value == placeholder
            }
            missing = set(self.placeholders) - set(slots.values())
            if missing:
                raise ValueError(f"placeholders not among the query's parameters: {sorted(missing)}")
            found = kept[self] = _Compiled(compiler, sql, tuple(params), slots, self.prepare)
        return found

    def _params(self, compiled: _Compiled, values: dict) -> list:
        params = list(compiled.params)
        for index, name in compiled.slots.items():
            params[index] = values[name]
        return params

    def fetch(self, *prefetches, **values) -> list[Model]:
        """The rows for these placeholder values, as instances; `prefetches` (lookups or
        Prefetch objects) are added to those of the built queryset and run as usual."""
        compiled = self.compiled()
        template = self.template()
        if template._iterable_class is not ModelIterable or template._known_related_objects:
            raise ValueError("only querysets of model instances (no values(), values_list())")
        found = compiled.instances(self._params(compiled, values))
        lookups = (*template._prefetch_related_lookups, *prefetches)
        if lookups and found:  # as the queryset runs its prefetches
            prefetch_related_objects(found, *lookups)
        return found

    def rows(self, **values) -> list[tuple]:
        """The rows of a `values_list()` queryset for these placeholder values, as tuples of
        converted values (not for flat or named lists)."""
        template = self.template()
        if template._iterable_class is not ValuesListIterable:
            raise ValueError("rows() is for values_list() querysets")
        compiled = self.compiled()
        return [tuple(row) for row in compiled.rows(self._params(compiled, values))]


class _Compiled:
    """The SQL compiled once, and what Django's ModelIterable works out from the compiler on
    every evaluation (the converters, the related objects' populators, the model's columns),
    worked out once too: a clone of the queryset and that set-up cost more than making the
    instances."""

    def __init__(self, compiler, sql: str, params: tuple, slots: dict[int, str], prepare: bool):
        self.compiler, self.sql, self.params, self.slots = compiler, sql, params, slots
        self.cursor = (functools.partial(prepared_cursor, compiler.connection) if prepare
                       else compiler.connection.cursor)
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("composite primary keys are not supported")
        self.converters = compiler.get_converters(fields)
        klass_info, select = compiler.klass_info, compiler.select
        if klass_info is None:  # values_list(): rows only
            return
        self.model = klass_info["model"]
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_columns = slice(first, last)
        self.init_list = [column[0].target.attname for column in select[first:last]]
        # RelatedPopulator keeps nothing between rows or runs: one set serves every run.
        self.related_populators = get_related_populators(klass_info, select, compiler.using)
        self.annotation_col_map = compiler.annotation_col_map or {}

    def instances(self, params: list) -> list[Model]:
        """The rows as instances, made as ModelIterable makes them: the model's from_db(), the
        select_related objects by their populators, then the annotations."""
        found = []
        for row in self.rows(params):
            obj = self.model.from_db(self.compiler.using, self.init_list, row[self.model_columns])
            for populator in self.related_populators:
                populator.populate(row, obj)
            for name, position in self.annotation_col_map.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def rows(self, params: list):
        """The rows of the stored SQL with these parameters, converted to Python values as the
        compiler's results_iter() converts them."""
        compiler = self.compiler
        with self.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        return compiler.apply_converters(rows, self.converters) if self.converters else rows
