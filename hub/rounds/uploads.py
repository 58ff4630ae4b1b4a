"""Upload size limit: stop reading a file past the collection guard's size limit.

Django streams uploads to a temporary file; this handler stops writing once a file passes
`settings.HUB_MAX_UPLOAD_BYTES` and marks the request, so the page can say the file is too
large (rather than 'no file') and nothing over the limit reaches the disk in full.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler


def size_limit() -> str:
    """The limit as the pages say it ('20 MB'): the upload form's help text and its refusal."""
    limit = settings.HUB_MAX_UPLOAD_BYTES
    return f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit / 2**10:g} KB"


class LimitedUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        self.received = 0
        self.request.upload_too_large = False
        return super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.HUB_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            self.file.close()
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)
