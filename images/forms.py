from django import forms

from .models import Image
from .validators import validate_image


class ImageUploadField(forms.ImageField):
    """
    An image upload checked by ``validate_image`` before Django's own test.

    Django's ImageField opens the upload with Pillow first and answers any
    failure, a decompression bomb included, with a generic "not an image";
    checking first gives editors a message that names the problem.
    """

    def to_python(self, data):
        if data:
            validate_image(data)
        return super().to_python(data)


class LibraryImageForm(forms.ModelForm):
    """A photo for the library, uploaded from the body editor's picker."""

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit"]
        field_classes = {"file": ImageUploadField}
