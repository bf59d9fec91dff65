"""
Every image a person sends is checked before it is stored: real JPEG, PNG,
WebP or GIF only, at most 20 MB and 40 megapixels, and decompression bombs are
refused from their header, without decoding a pixel.
"""

import struct
import zlib
from functools import cache
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile, features

from articles.models import Article
from images.validators import validate_image
from tests.articles.admin_data import ADD_URL, article_post_data
from tests.conftest import image_bytes

TIMES = "\N{MULTIPLICATION SIGN}"  # between width and height in the pixel message


@cache
def blank_png(width, height) -> bytes:
    """
    A valid 1-bit PNG of any size. Its blank rows compress about a
    thousandfold, so a 400-megapixel bomb weighs some 50 KB: made cheaply, and
    exactly what an attacker would send.
    """

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def upload(content, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def error_code(content, name="foto.jpg"):
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload(content, name))
    return excinfo.value.code


# validate_image itself


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_real_images_in_the_four_formats_pass(fmt):
    if fmt == "WEBP" and not features.check("webp"):
        pytest.skip("Pillow built without WebP")

    validate_image(upload(image_bytes(640, 480, fmt)))


def test_a_text_file_renamed_jpg_is_not_an_image():
    assert error_code(b"Gentile redazione, vi scrivo per...\n" * 20) == "invalid_image"


@pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
def test_a_real_image_in_another_format_is_refused(fmt):
    assert error_code(image_bytes(64, 64, fmt), name=f"foto.{fmt.lower()}") == "invalid_format"


def test_a_truncated_png_is_not_a_valid_image():
    content = image_bytes(640, 480, "PNG")

    assert error_code(content[: len(content) // 2]) == "invalid_image"


def test_an_empty_file_is_not_an_image():
    assert error_code(b"") == "invalid_image"


def test_the_real_20_mb_limit_is_checked_from_the_reported_size():
    file = upload(image_bytes(64, 64))
    file.size = 20 * 1024 * 1024 + 1

    with pytest.raises(ValidationError) as excinfo:
        validate_image(file)

    assert excinfo.value.code == "file_too_large"
    assert "20,0\xa0MB" in excinfo.value.messages[0]


def test_exactly_20_mb_is_still_accepted():
    file = upload(image_bytes(64, 64))
    file.size = 20 * 1024 * 1024

    validate_image(file)


def test_a_decompression_bomb_is_refused():
    assert error_code(blank_png(20_000, 20_000), name="bomba.png") == "decompression_bomb"


def test_an_image_pillow_only_warns_about_is_refused_as_a_bomb():
    # 100 megapixels: past Pillow's warning threshold, short of its error.
    assert error_code(blank_png(10_000, 10_000), name="grande.png") == "decompression_bomb"


def test_more_than_40_megapixels_is_refused_with_the_dimensions():
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload(blank_png(8_000, 6_000), name="grande.png"))

    assert excinfo.value.code == "too_many_pixels"
    assert f"8000{TIMES}6000" in excinfo.value.messages[0]


def test_exactly_40_megapixels_is_accepted():
    validate_image(upload(blank_png(8_000, 5_000), name="limite.png"))


def test_oversized_images_are_refused_without_decoding_a_pixel(monkeypatch):
    def refuse_to_decode(self):
        raise AssertionError("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)

    assert error_code(blank_png(20_000, 20_000)) == "decompression_bomb"
    assert error_code(blank_png(8_000, 6_000)) == "too_many_pixels"


def test_validation_leaves_the_file_where_it_was():
    file = upload(image_bytes(64, 64))
    file.seek(10)

    validate_image(file)

    assert file.tell() == 10


# Through the admin form


def post_article_with_image(client, section, image, hero_alt="Una foto"):
    return client.post(ADD_URL, article_post_data(section, hero_image=image, hero_alt=hero_alt))


def hero_image_errors(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors.get("hero_image", [])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("testo.jpg", b"Non sono una foto.\n" * 50, "non è un'immagine valida"),
        ("foto.bmp", image_bytes(64, 64, "BMP"), "Formato BMP non accettato"),
        ("foto.tiff", image_bytes(64, 64, "TIFF"), "Formato TIFF non accettato"),
        ("bomba.png", blank_png(20_000, 20_000), "troppo grande da elaborare"),
        ("grande.png", blank_png(8_000, 6_000), f"misura 8000{TIMES}6000 pixel"),
    ],
    ids=["text renamed jpg", "bmp", "tiff", "decompression bomb", "over 40 megapixels"],
)
def test_a_bad_image_is_a_form_error_naming_the_problem(
    editor_client, section, media_root, name, content, message
):
    response = post_article_with_image(editor_client, section, upload(content, name))

    errors = hero_image_errors(response)
    assert len(errors) == 1
    assert message in errors[0]
    assert not Article.objects.exists()
    assert not any(media_root.rglob("*.*")), "a refused upload was stored"


def test_a_file_over_the_size_limit_is_a_form_error(editor_client, section, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1024
    image = upload(image_bytes(1200, 800))
    assert image.size > 1024

    response = post_article_with_image(editor_client, section, image)

    [error] = hero_image_errors(response)
    assert "il massimo è 1,0\xa0KB" in error
    assert not Article.objects.exists()


def test_a_file_over_the_real_20_mb_limit_is_a_form_error(editor_client, section):
    # A small JPEG padded past 20 MB: readers ignore what follows the image,
    # the size check does not.
    content = image_bytes(64, 64) + bytes(20 * 1024 * 1024)

    response = post_article_with_image(editor_client, section, upload(content))

    [error] = hero_image_errors(response)
    assert "il massimo è 20,0\xa0MB" in error
    assert not Article.objects.exists()


def test_a_valid_jpeg_creates_the_article_with_renditions(editor_client, section, make_upload):
    response = post_article_with_image(editor_client, section, make_upload(width=1200, height=800))

    assert response.status_code == 302
    article = Article.objects.get()
    # The photo joined the library; the article prints the library's file.
    assert article.hero_image.name == article.hero_photo.file.name
    assert [size["width"] for size in article.hero_renditions["sizes"]] == [400, 800, 1200]
    for size in article.hero_renditions["sizes"]:
        assert article.hero_image.storage.exists(size["name"])


def test_an_image_without_alt_text_is_an_error_on_the_alt_field(
    editor_client, section, make_upload, media_root
):
    response = editor_client.post(
        ADD_URL,
        article_post_data(
            section, title="Il ponte riapre", hero_image=make_upload(), hero_alt="   "
        ),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["hero_alt"]
    assert "testo alternativo" in form.errors["hero_alt"][0]
    # What the editor typed is still there to fix and send again.
    assert form["title"].value() == "Il ponte riapre"
    assert 'value="Il ponte riapre"' in response.text
    assert not Article.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_alt_text_is_not_needed_without_an_image(editor_client, section):
    response = editor_client.post(ADD_URL, article_post_data(section, hero_alt=""))

    assert response.status_code == 302


def test_an_image_file_is_still_read_by_pillow_after_validation():
    # validate_image rewinds the file, so Django's own ImageField check and
    # the storage read the image from its start.
    file = upload(image_bytes(64, 64))

    validate_image(file)

    with Image.open(BytesIO(file.read())) as image:
        assert image.size == (64, 64)
