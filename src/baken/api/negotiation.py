"""Content negotiation: DRF's own, except that a `?format=` no renderer of the view knows is
refused as 406 Not Acceptable (a problem document, as an `Accept` nobody serves is), not as
DRF's bare 404 — `/api/v1/schema?format=json` keeps working."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            raise NotAcceptable(available_renderers=renderers)
        return found
