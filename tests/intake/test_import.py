import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from baken.reports.models import Report

pytestmark = pytest.mark.django_db

GOOD = (
    "Omschrijving;Categorie;Datum;Postcode;Huisnummer;Kenteken;Persoon;BSN\n"
    "Hennepgeur uit de schuur achter de boerderij;drugs;2025-03-01T10:00:00+01:00;"
    "1234 ab;7;ab123c;J. Jansen;111222333\n"
    "Winkel zonder klanten, altijd open;Malafide bedrijven;2025-04-02T12:00:00+02:00;;;;;\n"
)


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_csv_is_imported_once(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(GOOD, encoding="utf-8")
    out, _err = run(path, "--channel", "import")
    assert "2 reports imported" in out
    report = Report.objects.get(category__code="drugs")
    assert report.channel == "import" and report.postcode == "1234AB"
    assert report.subjects.get(kind="vehicle").license_plate == "AB-123-C"
    assert Report.objects.get(category__code="malafide-bedrijven")  # matched by its name
    out, _err = run(path)
    assert "0 reports imported, 2 already imported before" in out
    assert Report.objects.count() == 2


def test_bad_rows_are_named_and_nothing_is_imported(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(
        GOOD + "kort;drugs;2099-01-01T00:00:00+01:00;99;x;;;123456789\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="1 of 3 rows rejected; nothing was imported"):
        err = io.StringIO()
        call_command("import", str(path), stdout=io.StringIO(), stderr=err)
    assert Report.objects.count() == 0


def test_rejections_are_listed_per_row(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text(
        GOOD + "kort;drugs;;;;;;\nEen lange omschrijving van iets;drugs;;;;;X;123456789\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue()
    assert "row 4: description:" in lines and "row 5: subjects.0.bsn:" in lines


def test_dry_run_imports_nothing(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(GOOD, encoding="utf-8")
    out, _err = run(path, "--dry-run")
    assert "2 rows checked" in out and Report.objects.count() == 0


def test_xlsx_is_read(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Omschrijving", "Categorie", "Kenteken"])
    sheet.append(["Busjes die 's nachts lossen bij de loods", "drugs", "12-AB-CD"])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    out, _err = run(path)
    assert "1 reports imported" in out


def test_unreadable_files_get_a_clear_error(tmp_path):
    path = tmp_path / "register.txt"
    path.write_text("x")
    with pytest.raises(CommandError, match="Only .csv and .xlsx"):
        run(path)
    with pytest.raises(CommandError, match="does not exist"):
        run(tmp_path / "missing.csv")


def test_a_single_column_csv_is_read(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("Omschrijving\nHennepgeur uit de schuur achter de boerderij\n", "utf-8")
    out, _err = run(path)
    assert "1 reports imported" in out


def test_a_damaged_workbook_gets_a_clear_error(tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CommandError, match="cannot be read as a register"):
        run(path)


def test_a_later_export_repeating_earlier_rows_adds_only_the_new_ones(tmp_path):
    first = tmp_path / "januari.csv"
    first.write_text(GOOD, encoding="utf-8")
    run(first)
    later = tmp_path / "februari.csv"
    later.write_text(
        GOOD + "Nieuwe melding over een nagelsalon;Malafide bedrijven;;;;;;\n", encoding="utf-8"
    )
    out, _err = run(later)
    assert "1 reports imported, 2 already imported before" in out
    assert Report.objects.count() == 3
