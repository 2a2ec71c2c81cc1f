from baken.intake.identifiers import normalise_postcode

from .models import RegisteredAddress


def address_lookup(*, postcode: str, house_number: int) -> list[RegisteredAddress]:
    """Register entries for a postcode and number (several when letters or additions exist)."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return []
    return list(
        RegisteredAddress.objects.filter(postcode=normalised, house_number=house_number)[:20]
    )
