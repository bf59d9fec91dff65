"""
Upload checks for every image a person can send us.

Pillow reads only the header in ``Image.open``, so the size and pixel checks
happen before any pixel data is decoded: a decompression bomb is refused
without ever being expanded in memory.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .decoding import decode_bytes

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image(file) -> None:
    """Refuse anything but a real JPEG, PNG, WebP or GIF within the size limits."""
    max_bytes = settings.IMAGE_MAX_UPLOAD_BYTES
    max_pixels = settings.IMAGE_MAX_PIXELS
    max_decode = settings.IMAGE_MAX_DECODE_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            _("Il file pesa %(size)s: il massimo è %(max)s."),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "max": filesizeformat(max_bytes)},
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                mode = image.mode
                if image_format in ALLOWED_FORMATS and width * height <= max_pixels:
                    # verify() walks the whole file for truncation and bad
                    # checksums without keeping the decoded pixels.
                    image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("L'immagine è troppo grande da elaborare (più di %(max)s megapixel)."),
            code="decompression_bomb",
            params={"max": max_pixels // 1_000_000},
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("Il file non è un'immagine valida: carica un JPEG, PNG, WebP o GIF."),
            code="invalid_image",
        ) from None
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Formato %(format)s non accettato: carica un JPEG, PNG, WebP o GIF."),
            code="invalid_format",
            params={"format": image_format},
        )
    if width * height > max_pixels:
        raise ValidationError(
            _("L'immagine misura %(width)s×%(height)s pixel: il massimo è %(max)s megapixel."),
            code="too_many_pixels",
            params={"width": width, "height": height, "max": max_pixels // 1_000_000},
        )
    needed = decode_bytes(image_format, mode, width, height)
    if needed > max_decode:
        raise ValidationError(
            _(
                "L'immagine (%(width)s×%(height)s pixel, modo %(mode)s) richiederebbe "
                "%(needed)s di memoria per essere elaborata: il massimo è %(max)s."
            ),
            code="too_much_memory",
            params={
                "width": width,
                "height": height,
                "mode": mode,
                "needed": filesizeformat(needed),
                "max": filesizeformat(max_decode),
            },
        )
