"""Forms of the people room's back office."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from . import photos
from .models import Person


class PersonForm(forms.ModelForm):
    """The person form of the back office: a photo is checked by its content, size and
    dimensions before it is stored, with a sentence that says what to do instead."""

    class Meta:
        model = Person
        fields = "__all__"

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):  # a new upload (an unchanged photo is a stored file)
            try:
                photos.check_photo(photo)
            except photos.PhotoError as error:
                raise ValidationError(str(error), code="photo") from error
        return photo
