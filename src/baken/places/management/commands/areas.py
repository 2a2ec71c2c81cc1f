from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from baken.places.areas import (
    AreaFileError,
    area_report_teams_fill,
    area_reports_rebuild,
    areas_import,
    parse_areas,
)


class Command(BaseCommand):
    help = (
        "Areas (districts, neighbourhoods) for filters and the map. `baken areas import "
        "FILE.geojson [--replace]` reads a FeatureCollection of Polygon/MultiPolygon features "
        "with properties code, name (and kind), and creates or updates the areas by code; "
        "an area with a new shape has its reports tested again. `baken areas rebuild` tests "
        "every located report against every area again (after loading reports by hand). "
        "`baken areas teams` copies each report's team onto its memberships where the copy "
        "is not known yet (once, after the upgrade that added it; in batches, online)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("import", help="create or update areas from a GeoJSON file")
        load.add_argument("file", help="a GeoJSON FeatureCollection (WGS 84 lon/lat)")
        load.add_argument(
            "--replace", action="store_true", help="also remove areas whose code is not in the file"
        )
        sub.add_parser("rebuild", help="recompute which reports lie in which area")
        sub.add_parser("teams", help="fill in the team of area memberships written before it")

    @no_translations
    def handle(self, *args, subcommand: str, **options):
        if subcommand == "teams":
            filled = area_report_teams_fill()
            if options["verbosity"]:
                self.stdout.write(self.style.SUCCESS(f"{filled} memberships given their team."))
            return
        if subcommand == "rebuild":
            total = area_reports_rebuild()
            if options["verbosity"]:
                self.stdout.write(self.style.SUCCESS(f"{total} reports in areas."))
            return
        path, replace = Path(options["file"]), options["replace"]
        try:
            text = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
        try:
            areas = parse_areas(text)
        except AreaFileError as error:
            raise CommandError(f"{path}: {error}") from None

        def progress(done: int, total: int) -> None:
            if options["verbosity"] >= 2 or done == total or done % 100 == 0:
                self.stdout.write(f"  {done}/{total} areas", ending="\r" if done < total else "\n")

        result = areas_import(
            areas=areas, replace=replace, progress=progress if options["verbosity"] else None
        )
        if not options["verbosity"]:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} areas created, {result.updated} updated"
                + (f", {result.removed} removed" if replace else "")
                + f" from {path.name}."
            )
        )
