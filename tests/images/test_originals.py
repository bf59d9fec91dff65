"""Uploaded originals are public: stored without the camera's metadata, under their real format."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from images.models import Image as LibraryImage

pytestmark = pytest.mark.django_db

PICKER = "/admin/images/image/picker/"
EXIF_ORIENTATION = 0x0112
EXIF_ARTIST = 0x013B
EXIF_GPS = 0x8825
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def phone_photo(fmt="JPEG", orientation=6) -> bytes:
    """A photo as a phone stores it: turned by EXIF, with GPS, owner and a colour profile."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    exif[EXIF_ARTIST] = "Mario Rossi"
    exif.get_ifd(EXIF_GPS).update({1: "N", 2: (45.0, 27.0, 50.0), 3: "E", 4: (9.0, 11.0, 20.0)})
    buffer = BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF photoshop:City="Milano"/></x:xmpmeta>'
    options = {"exif": exif, "icc_profile": SRGB}
    if fmt in ("JPEG", "WEBP"):
        options["xmp"] = xmp
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Mario Rossi")
        options["pnginfo"] = text
    Image.new("RGB", (1200, 800), (10, 120, 200)).save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(reporter_client, data: bytes, name="telefono.jpg"):
    response = reporter_client.post(
        PICKER,
        {"file": SimpleUploadedFile(name, data), "alt": "Piazza Duomo", "credit": "Foto M. Rossi"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return LibraryImage.objects.get()


def stored(image) -> bytes:
    with default_storage.open(image.file.name) as file:
        return file.read()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_an_uploaded_original_keeps_no_gps_position_nor_owner(reporter_client, fmt):
    original = phone_photo(fmt)
    assert b"Mario Rossi" in original

    data = stored(upload(reporter_client, original, name=f"telefono.{fmt.lower()}"))

    assert b"Mario Rossi" not in data
    assert b"Milano" not in data
    with Image.open(BytesIO(data)) as image:
        exif = image.getexif()
        assert EXIF_GPS not in exif
        assert exif.get_ifd(EXIF_GPS) == {}
        assert EXIF_ARTIST not in exif


def test_the_original_stands_upright_and_keeps_its_colour_profile(reporter_client):
    data = stored(upload(reporter_client, phone_photo("JPEG", orientation=6)))
    with Image.open(BytesIO(data)) as image:
        assert image.size == (800, 1200)  # turned as the EXIF said, and the note dropped
        assert EXIF_ORIENTATION not in image.getexif()
        assert image.info["icc_profile"] == SRGB


def test_an_author_photo_loses_its_metadata_too(make_author):
    upload_file = SimpleUploadedFile("ritratto.jpg", phone_photo("JPEG", orientation=1))
    author = make_author("Chiara Fontana", photo=upload_file)
    with default_storage.open(author.photo.name) as file:
        data = file.read()
    assert b"Mario Rossi" not in data
    with Image.open(BytesIO(data)) as image:
        assert image.size == (1200, 800)
        assert EXIF_GPS not in image.getexif()


@pytest.mark.parametrize("name", ["animazione.pdf", "animazione.ps", "animazione.xbm", "x.GIF"])
def test_an_upload_is_stored_under_the_extension_of_its_real_format(reporter_client, name):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(buffer, "GIF", comment=b"Mario Rossi")

    image = upload(reporter_client, buffer.getvalue(), name=name)

    assert image.file.name.endswith(".gif")
    assert b"Mario Rossi" not in stored(image)


def test_an_animated_gif_keeps_every_frame(reporter_client):
    frames = [Image.new("RGB", (40, 30), (80 * i, 0, 0)) for i in range(3)]
    buffer = BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0)

    data = stored(upload(reporter_client, buffer.getvalue(), name="animazione.gif"))

    with Image.open(BytesIO(data)) as image:
        assert image.n_frames == 3
        assert image.info["duration"] == 120
