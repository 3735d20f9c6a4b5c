"""Where uploads are stored: under names nobody can guess.

`/media/attachments/slides.pdf` could be tried by anyone who knows a talk had slides; the
stored name carries a random part (`slides-Xk3….pdf`, 128 bits), so a file is reached only
through the page that links it. The access check of materials.media still applies."""

import posixpath
import secrets

from django.core.files.storage import FileSystemStorage

TOKEN_BYTES = 16


class UnguessableNamesMixin:
    def generate_filename(self, filename: str) -> str:
        filename = super().generate_filename(filename)
        directory, name = posixpath.split(filename)
        stem, extension = posixpath.splitext(name)
        return posixpath.join(directory, f"{stem[:60]}-{secrets.token_urlsafe(TOKEN_BYTES)}{extension}")


class UnguessableFileSystemStorage(UnguessableNamesMixin, FileSystemStorage):
    """The default storage of `make run`; an S3 deployment mixes UnguessableNamesMixin into its
    django-storages backend the same way."""
