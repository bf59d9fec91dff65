"""WebP renditions are made once, on save, and described for ``picture()`` (images/html.py)."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from images.html import picture
from images.renditions import make_renditions, rendition_widths

EXIF_ORIENTATION = 0x0112


@pytest.fixture
def article_with_image(make_article, make_upload):
    def make(width, height, **upload):
        return make_article(
            hero_image=make_upload(width=width, height=height, **upload), hero_alt="Una foto"
        )

    return make


def stored_image(name):
    with default_storage.open(name) as file, Image.open(file) as image:
        return image.format, image.size


def test_a_2000px_image_gets_webp_renditions_at_400_800_and_1600(article_with_image):
    article = article_with_image(2000, 1000)

    sizes = article.hero_renditions["sizes"]

    assert [(size["width"], size["height"]) for size in sizes] == [
        (400, 200),
        (800, 400),
        (1600, 800),
    ]
    assert article.hero_renditions["width"] == 2000
    assert article.hero_renditions["height"] == 1000
    assert article.hero_renditions["source"] == article.hero_image.name


def test_rendition_files_exist_as_webp_of_the_described_size(article_with_image):
    article = article_with_image(2000, 1000)

    for size in article.hero_renditions["sizes"]:
        assert size["name"].endswith(".webp")
        assert stored_image(size["name"]) == ("WEBP", (size["width"], size["height"]))


def test_a_small_image_is_never_upscaled(article_with_image):
    article = article_with_image(600, 450)

    sizes = article.hero_renditions["sizes"]

    assert [(size["width"], size["height"]) for size in sizes] == [(400, 300), (600, 450)]


@pytest.mark.parametrize(
    ("source_width", "expected"),
    [(300, [300]), (400, [400]), (1600, [400, 800, 1600]), (5000, [400, 800, 1600])],
)
def test_rendition_widths_stop_at_the_source_width(source_width, expected):
    assert rendition_widths(source_width) == expected


def test_an_exif_rotated_jpeg_gets_upright_renditions(make_article):
    # A phone held upright stores a landscape frame and an EXIF note "turn it
    # 90°": readers must see the portrait.
    buffer = BytesIO()
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    Image.new("RGB", (1200, 800), (10, 120, 200)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("verticale.jpg", buffer.getvalue(), content_type="image/jpeg")

    article = make_article(hero_image=upload, hero_alt="Una foto verticale")

    assert article.hero_renditions["width"] == 800
    assert article.hero_renditions["height"] == 1200
    largest = article.hero_renditions["sizes"][-1]
    assert (largest["width"], largest["height"]) == (800, 1200)
    assert stored_image(largest["name"])[1] == (800, 1200)


def test_a_transparent_png_keeps_its_transparency(make_article):
    buffer = BytesIO()
    Image.new("RGBA", (500, 500), (0, 0, 0, 0)).save(buffer, "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")

    article = make_article(hero_image=upload, hero_alt="Un logo")

    smallest = article.hero_renditions["sizes"][0]["name"]
    with default_storage.open(smallest) as file, Image.open(file) as image:
        assert image.mode == "RGBA"


def test_saving_again_does_not_encode_again(article_with_image, monkeypatch):
    article = article_with_image(2000, 1000)
    before = article.hero_renditions

    def no_encoding(*args, **kwargs):
        raise AssertionError("a rendition was encoded again")

    monkeypatch.setattr(Image.Image, "save", no_encoding)
    article.title = "Titolo corretto"
    article.save()
    article.refresh_from_db()

    assert article.hero_renditions == before


def test_making_renditions_of_the_same_file_reuses_the_stored_ones(article_with_image):
    article = article_with_image(1000, 500)
    first = article.hero_renditions
    stored = sorted(default_storage.listdir(first["sizes"][0]["name"].rsplit("/", 1)[0])[1])

    again = make_renditions(article.hero_image)

    assert again == first
    assert sorted(default_storage.listdir(first["sizes"][0]["name"].rsplit("/", 1)[0])[1]) == (
        stored
    )


def test_replacing_the_image_makes_new_renditions(article_with_image, make_upload):
    article = article_with_image(1000, 500)
    old_names = {size["name"] for size in article.hero_renditions["sizes"]}

    article.hero_image = make_upload(width=900, height=900, name="nuova.jpg")
    article.save()

    assert article.hero_renditions["source"] == article.hero_image.name
    assert {size["name"] for size in article.hero_renditions["sizes"]}.isdisjoint(old_names)
    assert article.hero_renditions["sizes"][-1]["width"] == 900


def test_removing_the_image_removes_the_description(article_with_image):
    article = article_with_image(1000, 500)

    article.hero_image = ""
    article.save()

    assert article.hero_renditions == {}


def render_picture(renditions_value, alt, **options):
    return picture(renditions_value, alt, **options)


def test_picture_tag_prints_src_srcset_sizes_dimensions_and_alt(article_with_image):
    article = article_with_image(2000, 1000)
    names = [size["name"] for size in article.hero_renditions["sizes"]]

    html = render_picture(
        article.hero_renditions, "Il ponte all'alba", sizes="(min-width: 48rem) 48rem, 100vw"
    )

    url = default_storage.url
    assert f'src="{url(names[1])}"' in html
    assert f'srcset="{url(names[0])} 400w, {url(names[1])} 800w, {url(names[2])} 1600w"' in html
    assert 'sizes="(min-width: 48rem) 48rem, 100vw"' in html
    assert 'width="1600"' in html
    assert 'height="800"' in html
    assert 'alt="Il ponte all&#x27;alba"' in html
    assert 'loading="lazy"' in html


def test_picture_tag_escapes_the_alt_text():
    value = {"sizes": [{"name": "renditions/ab/x-400w.webp", "width": 400, "height": 300}]}

    html = render_picture(value, '"><script>alert(1)</script>')

    assert "<script>" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;' in html


def test_picture_tag_prints_nothing_without_renditions():
    assert render_picture({}, "Niente").strip() == ""


def test_picture_tag_runs_no_query(article_with_image, django_assert_num_queries):
    article = article_with_image(2000, 1000)

    with django_assert_num_queries(0):
        html = render_picture(article.hero_renditions, "Foto")

    assert "srcset=" in html


def test_author_photos_get_renditions_too(make_author, make_upload):
    author = make_author("Paolo Neri", photo=make_upload(width=900, height=900))

    assert [size["width"] for size in author.photo_renditions["sizes"]] == [400, 800, 900]
