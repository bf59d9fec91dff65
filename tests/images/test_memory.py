"""
What processing an upload costs in memory: one full decode at most for each
upload, and no more than ``IMAGE_CONCURRENT_DECODES`` of those at once in one
process (images/decoding.py). The uploads are PNGs of one colour, as an attacker
would send: 36 megapixels in about 100 KB.

The memory tests run the uploads in a fresh process (tests/images/upload_probe.py)
and read its peak resident memory, which a test process full of other tests'
leftovers could not tell.
"""

import json
import os
import struct
import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image, JpegImagePlugin

from images.decoding import bytes_per_pixel, decode_bytes
from images.models import Image as LibraryImage
from images.renditions import make_renditions
from images.validators import validate_image
from tests.images.stored_file import StoredFile

PROBE = Path(__file__).with_name("upload_probe.py")
SIDE = 6000
# What Pillow holds for one decoded RGB image of SIDE×SIDE: 4 bytes a pixel.
FULL_DECODE = SIDE * SIDE * 4


def solid_png(width, height, colour=(200, 60, 30)) -> bytes:
    """An 8-bit RGB PNG of one colour, made without holding its pixels."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" + bytes(colour) * width
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def probe(tmp_path, copies, **env) -> dict:
    path = tmp_path / "grande.png"
    path.write_bytes(solid_png(SIDE, SIDE))
    result = subprocess.run(
        [sys.executable, str(PROBE), str(path), str(copies)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        check=True,
    )
    measured = json.loads(result.stdout.splitlines()[-1])
    print(
        f"{copies} × {SIDE}×{SIDE} PNG: {measured['growth'] / 2**20:.0f} MiB peak growth, "
        f"{measured['seconds']:.1f} s"
    )
    return measured


# One upload


def test_a_large_png_is_processed_holding_one_decode_at_most(tmp_path):
    # Before: the decode, a copy for the orientation and one for the mode
    # conversion, about three. Now: the decode, with the reduced image and
    # WebP's buffers beside it; 1.6 leaves room for the interpreter's own.
    measured = probe(tmp_path, copies=1)

    assert measured["growth"] < 1.6 * FULL_DECODE
    sizes = measured["renditions"][0]["sizes"]
    assert [(size["width"], size["height"]) for size in sizes] == [
        (400, 400),
        (800, 800),
        (1600, 1600),
    ]


# Four at once


def test_four_uploads_at_once_hold_two_decodes_not_four(tmp_path):
    # With IMAGE_CONCURRENT_DECODES at 2, two decodes at once, plus the
    # renditions of the two others being encoded; four at once come to more
    # than four decodes (checked with the setting at 4).
    measured = probe(tmp_path, copies=4)

    assert measured["growth"] < 3.25 * FULL_DECODE
    assert len(measured["renditions"]) == 4


# The estimate at validation


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("1", 1),
        ("L", 1),
        ("P", 1),
        ("I;16", 2),
        ("I", 4),
        ("F", 4),
        ("LA", 4),
        ("RGB", 4),
        ("RGBA", 4),
        ("CMYK", 4),
    ],
)
def test_each_mode_is_estimated_at_what_pillow_keeps_a_pixel(mode, expected):
    assert bytes_per_pixel(mode) == expected


def test_a_gif_is_estimated_at_four_bytes_a_pixel_for_its_later_frames():
    assert decode_bytes("GIF", "P", 100, 100) == 40_000
    assert decode_bytes("PNG", "P", 100, 100) == 10_000


def test_a_16_bit_greyscale_png_is_estimated_at_two_bytes_a_pixel():
    buffer = BytesIO()
    Image.new("I;16", (300, 200)).save(buffer, "PNG")
    with Image.open(buffer) as image:
        assert decode_bytes(image.format, image.mode, *image.size) == 300 * 200 * 2


@override_settings(IMAGE_MAX_DECODE_BYTES=5_000_000)
def test_an_image_over_the_decode_estimate_is_refused():
    upload = SimpleUploadedFile("foto.jpg", b"")
    upload.file = BytesIO()
    Image.new("RGB", (1500, 1000)).save(upload.file, "JPEG")
    upload.size = upload.file.tell()

    with pytest.raises(ValidationError) as refused:
        validate_image(upload)

    assert refused.value.code == "too_much_memory"
    assert refused.value.messages == [
        "L'immagine (1500×1000 pixel, modo RGB) richiederebbe 5,7\xa0MB di memoria "
        "per essere elaborata: il massimo è 4,8\xa0MB."
    ]


@override_settings(IMAGE_MAX_DECODE_BYTES=5_000_000)
def test_the_picker_names_the_memory_problem_and_keeps_what_was_typed(reporter_client, make_upload):
    response = reporter_client.post(
        "/admin/images/image/picker/",
        {
            "file": make_upload(width=1500, height=1000),
            "alt": "Il ponte sul Polcevera",
            "caption": "Una didascalia scritta con cura.",
        },
    )

    assert response.status_code == 200
    assert "La foto non è stata caricata" in response.text
    assert "richiederebbe 5,7\xa0MB di memoria per essere elaborata" in response.text
    assert 'value="Il ponte sul Polcevera"' in response.text
    assert 'value="Una didascalia scritta con cura."' in response.text
    assert not LibraryImage.objects.exists()


# Renditions decoded small


def renditions_of(tmp_path, data, name):
    storage = FileSystemStorage(location=tmp_path)
    return make_renditions(StoredFile(storage, storage.save(name, BytesIO(data)))), storage


def test_a_large_jpeg_is_decoded_scaled_down_by_its_decoder(tmp_path, monkeypatch):
    decoded = []
    load = JpegImagePlugin.JpegImageFile.load

    def recorded(self):
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", recorded)
    buffer = BytesIO()
    Image.new("RGB", (6400, 4800), (10, 120, 200)).save(buffer, "JPEG")

    renditions, _ = renditions_of(tmp_path, buffer.getvalue(), "grande.jpg")

    assert decoded and set(decoded) == {(1600, 1200)}  # a quarter of each side
    assert [(s["width"], s["height"]) for s in renditions["sizes"]] == [
        (400, 300),
        (800, 600),
        (1600, 1200),
    ]


def test_a_large_rotated_jpeg_is_decoded_small_and_stands_upright(tmp_path):
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (4800, 3200), (10, 120, 200)).save(buffer, "JPEG", exif=exif)

    renditions, storage = renditions_of(tmp_path, buffer.getvalue(), "verticale.jpg")

    assert (renditions["width"], renditions["height"]) == (3200, 4800)
    largest = renditions["sizes"][-1]
    assert (largest["width"], largest["height"]) == (1600, 2400)
    with storage.open(largest["name"]) as file, Image.open(file) as image:
        assert image.size == (1600, 2400)


def test_a_large_transparent_palette_png_is_reduced_and_stays_transparent(tmp_path):
    image = Image.new("P", (5000, 3000), 1)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(0, (0, 0, 2500, 3000))
    buffer = BytesIO()
    image.save(buffer, "PNG", transparency=0)

    renditions, storage = renditions_of(tmp_path, buffer.getvalue(), "logo.png")

    largest = renditions["sizes"][-1]
    assert (largest["width"], largest["height"]) == (1600, 960)
    with storage.open(largest["name"]) as file, Image.open(file) as stored:
        assert stored.mode == "RGBA"
        assert stored.getpixel((100, 100))[3] == 0  # the transparent half
        assert stored.getpixel((1500, 100)) == (0, 0, 255, 255)
