"""
Responsive renditions: WebP copies of an uploaded image at a few widths.

They are made once, when the object holding the image is saved, and described
in a small JSON value stored beside the image, so that a page prints
``srcset``, ``width`` and ``height`` without opening a file or querying.
"""

import hashlib
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from .originals import without_metadata

WEBP_QUALITY = 80


def rendition_widths(source_width: int) -> list[int]:
    """The configured widths below the source's, plus the source's own: never upscale."""
    widths = [w for w in settings.IMAGE_RENDITION_WIDTHS if w < source_width]
    if source_width <= max(settings.IMAGE_RENDITION_WIDTHS):
        widths.append(source_width)
    return widths


def _rendition_name(source_name: str, digest: str, width: int) -> str:
    stem = PurePosixPath(source_name).stem[:60]
    return f"renditions/{digest[:2]}/{stem}-{digest[:12]}-{width}w.webp"


def make_renditions(fieldfile) -> dict:
    """
    Write the WebP renditions of ``fieldfile`` to its storage and describe them.

    Reads the whole image once; files already in storage (same content, same
    width) are reused, so saving the same image again costs no encoding.
    """
    storage = fieldfile.storage
    fieldfile.open("rb")
    try:
        data = fieldfile.read()
    finally:
        fieldfile.close()
    digest = hashlib.sha256(data).hexdigest()
    with Image.open(BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    source_width, source_height = image.size
    sizes = []
    for width in rendition_widths(source_width):
        height = max(1, round(source_height * width / source_width))
        name = _rendition_name(fieldfile.name, digest, width)
        if not storage.exists(name):
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            buffer = BytesIO()
            resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
            name = storage.save(name, ContentFile(buffer.getvalue()))
        sizes.append({"name": name, "width": width, "height": height})
    return {
        "source": fieldfile.name,
        "width": source_width,
        "height": source_height,
        "sizes": sizes,
    }


def refresh_renditions(fieldfile, current: dict | None) -> dict:
    """The renditions for ``fieldfile``: ``current`` if still right, else new ones."""
    if not fieldfile:
        return {}
    if not fieldfile._committed:
        # What FileField.pre_save would do a moment later: store the upload,
        # so that renditions are named after the file's final name; stored
        # without the metadata the camera wrote (images/originals.py).
        original = without_metadata(fieldfile.file, fieldfile.name)
        fieldfile.save(original.name, original, save=False)
    if current and current.get("source") == fieldfile.name:
        return current
    return make_renditions(fieldfile)
