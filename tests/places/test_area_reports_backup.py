"""The stored membership of reports in areas comes back with a restore (issue 18): it holds
report and area ids only, is part of the backup like the reports it points to, and a report
that does not come back (its key gone, ADR 0032) takes its rows along (core/sealing.py
`orphans_let_go`, CASCADE), so the area filter of the restored installation is exact at once."""

import io
import json

import pytest
from django.core.management import call_command

from baken.places.areas import DEMO_AREAS
from baken.places.models import AreaReport
from tests.core import test_backup as drill
from tests.places.test_area_reports import DORPEN, HAVENWAARD, filed

pytestmark = pytest.mark.django_db(transaction=True)
# The backup drill's own installation and empty second installation (tests/core).
installation, elsewhere, baken = drill.installation, drill.elsewhere, drill.baken

READ_BACK = """
import json
from baken.places.models import AreaReport
print(json.dumps(sorted(AreaReport.objects.values_list("report__reference", "area__code"))))
"""


def test_a_restore_brings_back_which_reports_lie_in_which_area(
    north,
    installation,
    elsewhere,
    tmp_path,
):
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    inside, dorpen = filed(north, *HAVENWAARD), filed(north, *DORPEN)
    expected = [[inside.reference, "havenwaard"], [dorpen.reference, "dorpen"]]
    assert AreaReport.objects.count() == 2
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    var, database_url = elsewhere
    restored = baken("restore", str(backup), var=var, database_url=database_url, key=installation)
    assert restored.returncode == 0, restored.stderr
    read = baken("shell", "-c", READ_BACK, var=var, database_url=database_url, key=installation)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout.strip().splitlines()[-1]) == sorted(expected)
