"""The local address register (a BAG extract): looking up street and town by postcode and
house number. Loading the register is `baken addresses import FILE` (subjects/services.py)."""

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as stdnum_postcode

from .models import RegisteredAddress


def normalise_postcode(value: str) -> str | None:
    """'1234 ab' → '1234AB'; None when it is not a Dutch postcode."""
    try:
        return stdnum_postcode.validate(value).replace(" ", "")
    except StdnumError:
        return None


def address_lookup(*, postcode: str, house_number: int) -> list[RegisteredAddress]:
    """Register entries for a postcode and number (several when letters or additions exist)."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return []
    return list(
        RegisteredAddress.objects.filter(postcode=normalised, house_number=house_number)[:20]
    )
