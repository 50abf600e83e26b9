"""What leaves the app as a file, the same from a page or the API: an attachment that is never
cached, because it holds health information."""

import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponse
from django.utils import timezone

from passport.outputs import booklet


def pdf_download(pdf: bytes) -> FileResponse:
    """The booklet, named for the day it was made."""
    response = FileResponse(io.BytesIO(pdf), as_attachment=True,
                            filename=booklet.file_name(timezone.localdate()),
                            content_type="application/pdf")
    response["Cache-Control"] = "no-store"
    return response


def json_download(data: dict, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1,
                                       cls=DjangoJSONEncoder),
                            content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
