"""The files the API answers with, as DRF renderers, so that content negotiation honours an
`Accept` that names the file's media type (`application/pdf`, `application/zip`, …) instead
of answering 406 because only JSON was offered.

The view still builds the file itself (an HttpResponse); the renderer only has to exist for
the negotiation. When the view refuses instead (a 404 or 403 problem), the problem is
written as JSON, with its problem+json content type, whatever file type was asked for.
"""

from rest_framework.renderers import BaseRenderer, JSONRenderer


class FileRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | bytearray):
            return data
        return JSONRenderer().render(data, renderer_context=renderer_context)


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class ZipRenderer(FileRenderer):
    media_type = "application/zip"
    format = "zip"


class NdjsonRenderer(FileRenderer):
    media_type = "application/x-ndjson"
    format = "ndjson"
