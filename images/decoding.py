"""
How much memory decoding an image takes, and how many decodes run at once.

Pillow keeps a decoded image whole in memory, so a small file can ask for a
great deal: a PNG of one colour compresses about a thousandfold. Uploads are
refused when the decoded pixels alone would pass ``IMAGE_MAX_DECODE_BYTES``
(images/validators.py), and every full decode of an upload (the copy without
metadata, the renditions) waits for one of ``IMAGE_CONCURRENT_DECODES`` places,
so that the threads of one server process never hold more decoded originals
than that at once, nor keep the memory of those they decoded before.
"""

import os
import threading

from django.conf import settings
from PIL import Image, ImageMode

# Formats whose frames Pillow may decode to a wider mode than the file's:
# after the first frame, a GIF's frames become RGB or RGBA.
WIDER_FRAMES = {"GIF": "RGBA"}

decoding = threading.BoundedSemaphore(settings.IMAGE_CONCURRENT_DECODES)

# Pillow allocates a decoded image in blocks, 16 MiB each by default. glibc
# serves blocks that small from the heap of the thread that asked, and keeps
# them there once freed, so every thread that ever decoded a large image would
# go on holding its size and the limit above would save nothing. Blocks larger
# than glibc's largest mmap threshold (32 MiB) are mapped on their own and
# given back to the system when the image is freed. PILLOW_BLOCK_SIZE, if set,
# is left to decide.
BLOCK_SIZE = 64 * 1024 * 1024
if "PILLOW_BLOCK_SIZE" not in os.environ:
    Image.core.set_block_size(BLOCK_SIZE)


def bytes_per_pixel(mode: str) -> int:
    """
    What one pixel of ``mode`` takes in Pillow's memory: a byte for ``1``,
    ``L`` and ``P``, two for the 16-bit ``I;16`` modes, four for ``I`` and
    ``F``; images of several bands (``LA``, ``RGB``, ``RGBA``, ``CMYK``...)
    are stored four bytes a pixel, RGB included.
    """
    described = ImageMode.getmode(mode)
    if len(described.bands) > 1:
        return 4
    return int(described.typestr[2:])


def decode_bytes(image_format: str, mode: str, width: int, height: int) -> int:
    """The memory, in bytes, that decoding a ``width``×``height`` image takes."""
    mode = WIDER_FRAMES.get(image_format, mode)
    return width * height * bytes_per_pixel(mode)
