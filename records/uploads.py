"""Django's upload handler for big files, with a temporary name that fits the disk.

Django spools an upload larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` into a temporary file
named ``tmpXXXX.upload<extension>``, the extension taken from the name the browser sent. An
extension of 130 Kazakh letters ("жоспар.әәә…") makes that name longer than the 255 bytes a
file system allows, and the request ends in a 500 before any view runs. Here the
extension is kept only when it is short and plain; the upload's own name is untouched (the
views clean it, see ``records.services.files.safe_filename``)."""

from __future__ import annotations

import os
import re
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

PLAIN_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}")


class SpooledUpload(TemporaryUploadedFile):
    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        _stem, ext = os.path.splitext(name or "")
        suffix = ".upload" + (ext if PLAIN_EXTENSION.fullmatch(ext) else "")
        file = tempfile.NamedTemporaryFile(suffix=suffix, dir=settings.FILE_UPLOAD_TEMP_DIR)
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)


class TemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """``django.core.files.uploadhandler.TemporaryFileUploadHandler`` with ``SpooledUpload``."""

    def new_file(self, *args, **kwargs):
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = SpooledUpload(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )
