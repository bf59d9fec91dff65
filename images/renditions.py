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
from PIL import Image

from .decoding import decoding
from .originals import EXIF_ORIENTATION, UPRIGHT, without_metadata

WEBP_QUALITY = 80
# Rows converted and reduced at a time: a band of a 40-megapixel image's
# width is a few megabytes.
BAND_ROWS = 256
# What each EXIF orientation asks for to stand the right way up; the last
# four turn the picture on its side, swapping width and height.
TRANSPOSITIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SIDEWAYS = {5, 6, 7, 8}


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
    # Within the decoding limit from the first look at the pixels: finding a
    # PNG's EXIF decodes the whole image.
    with decoding, Image.open(BytesIO(data)) as opened:
        orientation = opened.getexif().get(EXIF_ORIENTATION, UPRIGHT)
        source_width, source_height = opened.size
        if orientation in SIDEWAYS:
            source_width, source_height = source_height, source_width
        sizes = []
        for width in rendition_widths(source_width):
            height = max(1, round(source_height * width / source_width))
            name = _rendition_name(fieldfile.name, digest, width)
            sizes.append({"name": name, "width": width, "height": height})
        missing = [size for size in sizes if not storage.exists(size["name"])]
        if missing:
            largest = max((size["width"], size["height"]) for size in missing)
            if orientation in SIDEWAYS:
                largest = largest[::-1]
            image = _decoded_small(opened, largest)
            if image is not opened:
                opened.close()  # the full decode goes before anything is encoded
            if orientation in TRANSPOSITIONS:
                image = image.transpose(TRANSPOSITIONS[orientation])
    for size in missing:
        resized = image.resize((size["width"], size["height"]), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        size["name"] = storage.save(size["name"], ContentFile(buffer.getvalue()))
    return {
        "source": fieldfile.name,
        "width": source_width,
        "height": source_height,
        "sizes": sizes,
    }


def _decoded_small(opened: Image.Image, size: tuple[int, int]) -> Image.Image:
    """
    ``opened`` decoded, in RGB or RGBA, at the smallest size that is still at
    least ``size`` (before orientation), holding one full decode at most:
    ``opened`` itself when it needs neither reducing nor converting.

    A JPEG is decoded already scaled by its decoder (``draft``: a half, a
    quarter or an eighth of each side); any other format is decoded whole,
    then reduced by a whole factor a band of rows at a time, so that neither
    the mode conversion nor the reduction makes a second full-size copy.
    """
    mode = "RGBA" if opened.mode in ("RGBA", "LA", "P") else "RGB"
    if opened.format == "JPEG":
        opened.draft("RGB", size)
    opened.load()
    width, height = opened.size
    factor = max(1, min(width // size[0], height // size[1]))
    if factor == 1 and opened.mode == mode:
        return opened
    reduced = Image.new(mode, (-(-width // factor), -(-height // factor)))
    step = factor * max(1, BAND_ROWS // factor)
    for top in range(0, height, step):
        band = opened.crop((0, top, width, min(top + step, height)))
        if band.mode != mode:
            band = band.convert(mode)
        reduced.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
    return reduced


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
