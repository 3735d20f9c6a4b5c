"""clustertalks import FILE [--format csv|json|ics] [--series SLUG] [--dry-run] [--partial]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clustertalks.api import importing


class Command(BaseCommand):
    help = (
        "Import talks with their speakers from CSV, JSON or an iCalendar file (see docs/api.md). "
        "Importing again updates, never duplicates. Nothing is imported if a row is bad, "
        "unless --partial is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import, or - for standard input.")
        parser.add_argument("--format", choices=importing.FORMATS, help="Default: from the file name.")
        parser.add_argument("--series", help="The slug of the series of rows that name none.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; change nothing.")
        parser.add_argument("--partial", action="store_true", help="Import the good rows even if others are bad.")

    def handle(self, *args, **options):
        text, fmt = self.read(options["file"], options["format"])
        try:
            report = importing.import_text(
                text, fmt, series_slug=options["series"], dry_run=options["dry_run"], partial=options["partial"]
            )
        except importing.ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.print_report(report)
        if report.errors and report.dry_run:
            raise CommandError(f"{len(report.errors)} bad row(s) (dry run: nothing was saved).")
        if report.errors and not report.applied:
            raise CommandError(f"{len(report.errors)} bad row(s): nothing was imported (use --partial to import the good rows).")
        if report.errors:
            raise CommandError(f"{len(report.errors)} bad row(s) were left out; the good rows were imported.")

    def read(self, name: str, fmt: str | None) -> tuple[str, str]:
        import sys

        if name == "-":
            if not fmt:
                raise CommandError("Give --format when reading standard input.")
            return sys.stdin.read(), fmt
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No such file: {name}")
        try:
            fmt = fmt or importing.guess_format(path.name)
        except importing.ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        if path.stat().st_size > importing.MAX_BYTES:
            raise CommandError("The file is larger than 10 MB.")
        try:
            return path.read_text(encoding="utf-8-sig"), fmt
        except UnicodeDecodeError as exc:
            raise CommandError(f"{name} is not UTF-8 text.") from exc

    def print_report(self, report: importing.Report) -> None:
        verb = "would be" if report.dry_run else "were"
        for outcome in report.outcomes:
            self.stdout.write(f"line {outcome.line}: {outcome.action}: {outcome.title}")
        for kind, names in report.created.items():
            for name in names:
                self.stdout.write(f"new {kind[:-1] if kind != 'people' else 'person'}: {name}")
        for change in report.updated:
            self.stdout.write(f"updated {change}")
        for change in report.series_translated:
            self.stdout.write(f"series texts in other languages {verb} set: {change}")
        for duplicate in report.duplicates:
            self.stdout.write(f"possible duplicate: {duplicate}")
        if report.slides_to_fetch:
            self.stdout.write(f"{report.slides_to_fetch} slide file(s) {verb} fetched by the worker")
        for warning in report.warnings:
            self.stdout.write(f"line {warning.line}: warning: {warning.message}")
        for error in report.errors:
            self.stderr.write(f"line {error.line}: error: {error.message}")
        created = report.created or {}
        self.stdout.write(
            f"new: {len(created.get('people', []))} people, {len(created.get('organisations', []))} organisations, "
            f"{len(created.get('topics', []))} topics; {len(report.duplicates)} possible duplicate(s); "
            f"{len(report.warnings)} warning(s)"
        )
        self.stdout.write(
            f"{report.count('created')} created, {report.count('updated')} updated, "
            f"{report.count('unchanged')} unchanged, {len(report.errors)} bad row(s)"
            + (f" ({'dry run: nothing ' + verb + ' saved'})" if report.dry_run else "")
        )
