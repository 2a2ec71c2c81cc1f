import io

import pytest
from django.core.management import CommandError, call_command

from baken.places.models import RegisteredAddress

pytestmark = pytest.mark.django_db


def test_bag_extract_is_loaded(tmp_path):
    path = tmp_path / "bag.csv"
    path.write_text(
        "postcode;huisnummer;huisletter;toevoeging;openbareruimte;woonplaats;lat;lon\n"
        "1781 AB;3;;;Havenkade;Havenwaard;52,9587;4,7603\n"
        "1781AB;3;a;;Havenkade;Havenwaard;52.9588;4.7604\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("addresses", "import", str(path), stdout=out, stderr=io.StringIO())
    assert "2 addresses loaded" in out.getvalue()
    assert RegisteredAddress.objects.get(house_letter="A").lat == 52.9588


def test_a_bad_row_leaves_the_register_unchanged(tmp_path):
    RegisteredAddress.objects.create(postcode="1781AB", house_number=1, street="Oud", city="X")
    path = tmp_path / "bag.csv"
    path.write_text("postcode;huisnummer;openbareruimte;woonplaats\nABCD;1;Straat;Plaats\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="not changed"):
        call_command("addresses", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert "row 2" in err.getvalue()
    assert RegisteredAddress.objects.get().street == "Oud"
