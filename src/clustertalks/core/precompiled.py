"""Queries compiled to SQL once per process, then run with other values.

Django compiles a queryset to SQL on every evaluation: for the talk page's wide query (joins,
JSON folds) and its prefetches that is a large part of a cache miss's CPU, though the SQL is
the same every time but for one value (the slug, the talk's id). `Precompiled` builds its
queryset once with a placeholder value, compiles it once per database connection, and on each
call runs that SQL with the placeholder's parameter replaced, turning the rows into instances
with Django's own machinery (ModelIterable: select_related, annotations, converters), then runs
any prefetches as usual. The SQL, hence the query count and the rows, are exactly Django's.

    TALKS = Precompiled(lambda slug: Talk.objects.select_related("series").filter(slug=slug),
                        slug="\\x00slug\\x00")
    talks = TALKS.fetch(slug="my-talk")          # a list, not a queryset

Only for querysets whose SQL does not depend on anything but the placeholders (not on the
active language, the time or settings): the build function runs once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain

from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI


class Precompiled:
    def __init__(self, build: Callable[..., QuerySet], **placeholders):
        self.build, self.placeholders = build, placeholders
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
            found = kept[self] = _Compiled(compiler, sql, tuple(params), slots)
        return found

    def fetch(self, *prefetches, **values) -> list[Model]:
        """The rows for these placeholder values, as instances; `prefetches` (lookups or
        Prefetch objects) are added to those of the built queryset and run as usual."""
        compiled = self.compiled()
        params = list(compiled.params)
        for index, name in compiled.slots.items():
            params[index] = values[name]
        template = self.template()
        if template._iterable_class is not ModelIterable:
            raise ValueError("only querysets of model instances (no values(), values_list())")
        # Django's own ModelIterable over the stored SQL, with a stand-in for the queryset: a
        # clone of the template (its Query deep-copied) only to be evaluated once cost more
        # than turning the rows into instances. The prefetches run as the queryset runs them.
        found = list(ModelIterable(_Evaluation(template, _Run(compiled, params))))
        lookups = (*template._prefetch_related_lookups, *prefetches)
        if lookups and found:
            prefetch_related_objects(found, *lookups)
        return found


class _Evaluation:
    """What ModelIterable reads of the queryset it evaluates (its model, database, known
    related objects, and its query's compiler), answered from the template and one run."""

    def __init__(self, template: QuerySet, run: _Run):
        self.model, self.db, self._known_related_objects = template.model, template.db, template._known_related_objects
        self.query, self._run = self, run

    def get_compiler(self, *args, **kwargs) -> _Run:
        return self._run


class _Compiled:
    def __init__(self, compiler, sql: str, params: tuple, slots: dict[int, str]):
        self.compiler, self.sql, self.params, self.slots = compiler, sql, params, slots
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("composite primary keys are not supported")
        # What results_iter() works out on every call: the database-to-Python converters.
        self.converters = compiler.get_converters(fields)


class _Run:
    """What ModelIterable asks of a compiler, answered from the one compiled once: the rows of
    the stored SQL with these parameters, and the compiler's description of its columns."""

    def __init__(self, compiled: _Compiled, params: list):
        compiler = compiled.compiler
        self.compiled, self.params = compiled, params
        self.select, self.klass_info, self.annotation_col_map = (
            compiler.select, compiler.klass_info, compiler.annotation_col_map)

    def results_iter(self, results, tuple_expected=False, **kwargs):
        rows = chain.from_iterable(results)
        if self.compiled.converters:
            rows = self.compiled.compiler.apply_converters(rows, self.compiled.converters)
        return map(tuple, rows) if tuple_expected else rows

    def execute_sql(self, result_type=MULTI, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE):
        if result_type != MULTI:
            raise NotImplementedError(result_type)
        compiler = self.compiled.compiler
        with compiler.connection.cursor() as cursor:
            cursor.execute(self.compiled.sql, self.params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        return [rows]
