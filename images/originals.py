"""
What is kept of an upload: the picture, not what the camera wrote about it.

Originals are public (the largest rendition links to them, and editors share
them), so the upload is written again without its metadata before it is
stored: no EXIF (GPS position, camera owner, serial numbers), no XMP, no
comments or text chunks. The EXIF orientation is applied to the pixels, so the
photo still stands the right way up; the colour profile is kept, so colours do
not shift. The stored name takes the extension of the format Pillow found,
whatever the uploaded name said.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from .decoding import decoding

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
EXIF_ORIENTATION = 0x0112
UPRIGHT = 1


def stored_name(name: str, image_format: str) -> str:
    """``name`` with the extension of ``image_format``."""
    return str(PurePosixPath(name).with_suffix(f".{EXTENSIONS[image_format]}"))


def _encoder_options(image: Image.Image, rotated: bool) -> dict:
    """What to pass to ``save()`` so that the pixels lose as little as they can."""
    options = {}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc
    if image.format == "JPEG":
        # Unrotated, the JPEG is re-encoded with its own quantisation tables
        # and subsampling, which changes next to nothing.
        options.update({"quality": "keep", "subsampling": "keep"} if not rotated else {})
        options.setdefault("quality", 92)
    elif image.format == "WEBP":
        options.update({"lossless": True} if image.info.get("lossless") else {"quality": 90})
    elif image.format == "GIF":
        options.update(save_all=True, loop=image.info.get("loop", 0), comment=b"")
        if "duration" in image.info:
            options["duration"] = image.info["duration"]
    return options


def without_metadata(file, name: str) -> ContentFile:
    """
    A copy of the image ``file`` (already validated) without its metadata,
    named ``name`` with the extension of its real format.
    """
    file.seek(0)
    with decoding, Image.open(file) as opened:
        image_format = opened.format
        rotated = opened.getexif().get(EXIF_ORIENTATION, UPRIGHT) != UPRIGHT
        options = _encoder_options(opened, rotated)
        if image_format == "GIF" and getattr(opened, "n_frames", 1) > 1:
            image = opened  # every frame is written; GIF has no orientation
        else:
            options.pop("save_all", None)
            if rotated:
                # In place: the unturned pixels are let go before the encoding.
                ImageOps.exif_transpose(opened, in_place=True)
            image = opened
        # Loaded before saving: save() copies an image not yet loaded, which
        # would hold the decoded pixels twice.
        image.load()
        buffer = BytesIO()
        # Nothing of image.info is passed on but what ``options`` names:
        # Pillow writes no EXIF, XMP or text unless it is given them.
        image.save(buffer, image_format, exif=b"", **options)
    return ContentFile(buffer.getvalue(), name=stored_name(name, image_format))
