"""
Demo content: the reference article exactly as the seed gives it, and around it
a plausible newsroom generated from the word lists in ``fixtures/``.

The result is a function of the seed, the number of articles and the day the
loader runs: dates are laid out backwards from yesterday morning, so a page
always looks current and the reference article is always the newest public one.
A second run updates the same rows instead of adding new ones (sections,
authors and articles are keyed on their slugs) and reuses the placeholder
images, whose file names and content never change.
"""

import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from io import BytesIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.text import slugify
from PIL import Image, ImageColor, ImageDraw, ImageFont

from articles.models import Article, Byline, Section
from articles.search import update_search_vector
from authors.models import Author
from comments.demo import load_demo_comments
from images.models import Image as LibraryImage

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE_FIXTURE = FIXTURES / "reference-article.json"
VOCABULARY_FIXTURE = FIXTURES / "demo-vocabulary.json"

DEFAULT_SEED = 1972
DEFAULT_ARTICLE_COUNT = 200
SITE_URL = "http://127.0.0.1:8000/"  # where `make demo` runs the development server
ADMIN_USERNAME = "admin"

# Generated articles at these positions get a non-public state, so that the
# admin shows every state; all below 20 so that a small demo has them too.
DRAFT, REVIEW, SCHEDULED, UNPUBLISHED = "draft", "review", "scheduled", "unpublished"
HIDDEN_STATES = {2: DRAFT, 5: DRAFT, 8: REVIEW, 11: SCHEDULED, 14: UNPUBLISHED}

# Placeholder images: this many variants per section, shared by the articles
# of that section, so renditions (keyed by content) are encoded once.
IMAGE_VARIANTS = 2
HERO_SIZE = (1600, 900)
PORTRAIT_SIZE = (600, 600)
IMAGE_SHARE = 1 / 3
RECENT = timedelta(days=7)  # articles this recent always get a picture
IMAGE_CAPTION = "Immagine dimostrativa generata per la demo di Notizie."
IMAGE_CREDIT = "Grafica Notizie"
# Share of generated articles with a photo of the library in their body.
BODY_PHOTO_SHARE = 1 / 4


@dataclass
class DemoReport:
    sections: int
    authors: int
    articles: int
    public_articles: int
    tags: int
    hero_images: int
    reference: Article
    comments: int = 0


@cache
def reference_seed() -> dict:
    """The seed of the reference article, as copied verbatim from shared/seed."""
    return json.loads(REFERENCE_FIXTURE.read_text(encoding="utf-8"))


@cache
def vocabulary() -> dict:
    return json.loads(VOCABULARY_FIXTURE.read_text(encoding="utf-8"))


def reference_time(now: datetime) -> datetime:
    """Yesterday at 09:30, local time: past whenever the loader runs, the same all day."""
    yesterday = timezone.localdate(now) - timedelta(days=1)
    return timezone.make_aware(datetime.combine(yesterday, time(9, 30)))


def load_demo(
    *,
    articles: int = DEFAULT_ARTICLE_COUNT,
    seed: int = DEFAULT_SEED,
    images: bool = True,
    now: datetime | None = None,
) -> DemoReport:
    """Create or update the whole demo in one transaction; safe to run again."""
    with transaction.atomic():
        return DemoLoader(seed=seed, images=images, now=now or timezone.now()).load(articles)


def reset_admin(username: str = ADMIN_USERNAME) -> str:
    """Create or reset the superuser ``username`` with a fresh password, and return it."""
    password = secrets.token_urlsafe(16)
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return password


class DemoLoader:
    """One run of the demo loader; call ``load()`` inside a transaction."""

    def __init__(self, *, seed: int, images: bool, now: datetime):
        self.seed = seed
        self.with_images = images
        self.now = now
        self.words = vocabulary()
        self.library = {}  # placeholder file name -> its photo in the library
        self.staff = {}  # section slug -> the authors who mostly write in it
        self.photos = {}  # section slug -> its photo in the library

    def load(self, count: int) -> DemoReport:
        sections = self.load_sections()
        authors = self.load_authors(sections)
        reference = self.load_reference_article(sections)
        generated = self.load_generated_articles(count, sections, authors, reference.slug)
        # A few approved, pending and spam comments on the public articles,
        # and a thread on the reference one.
        comments = load_demo_comments(
            [reference, *generated], reference, seed=self.seed, now=self.now
        )
        demo_ids = [reference.pk, *(article.pk for article in generated)]
        demo = Article.objects.filter(pk__in=demo_ids)
        return DemoReport(
            sections=len(sections),
            authors=len(authors),
            articles=len(demo_ids),
            public_articles=demo.published(self.now).count(),
            tags=len({name for name in demo.values_list("tags__name", flat=True) if name}),
            hero_images=len(self.library),
            reference=reference,
            comments=comments,
        )

    # Sections and people

    def load_sections(self) -> dict[str, Section]:
        sections = {}
        for order, entry in enumerate(self.words["sections"], start=1):
            sections[entry["slug"]], _ = Section.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name": entry["name"],
                    "description": entry["description"],
                    "order": order,
                },
            )
        return sections

    def load_authors(self, sections) -> list[Author]:
        seeded = {person["slug"]: person for person in reference_seed()["authors"]}
        authors = []
        for entry in self.words["authors"]:
            # People from the seed keep its words exactly; the rest are fictional.
            from_seed = entry.get("slug") in seeded
            entry = {**entry, **seeded.get(entry.get("slug"), {})}
            slug = entry.get("slug") or slugify(entry["name"])
            photo = ""
            if entry["photo"] and self.with_images:
                colors = self.section_entry(entry["section"])["colors"]
                photo = self.stored_image(
                    f"authors/demo/{slug}.jpg", lambda e=entry, c=colors: portrait(e["name"], c)
                )
            author, _ = Author.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": entry["name"],
                    "role": entry.get("role", ""),
                    "bio": entry["bio"],
                    "email": "" if from_seed else f"{slug.replace('-', '.')}@notizie.example",
                    "photo": photo,
                    "photo_renditions": {},
                },
            )
            self.staff.setdefault(entry["section"], []).append(author)
            authors.append(author)
        return authors

    # Articles

    def load_reference_article(self, sections) -> Article:
        """The seed's article, word for word: nothing here is generated but its image."""
        data = reference_seed()["article"]
        section = next(s for s in sections.values() if s.name == data["section"])
        article = self.save_article(
            slug=slugify(data["title"]),
            title=data["title"],
            summary="",
            body=data["body_html"],
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=reference_time(self.now),
            image=self.hero(section, 1),
        )
        article.tags.set(data["tags"])
        authors = Author.objects.in_bulk(data["authors"], field_name="slug")
        self.set_bylines({article: [authors[slug] for slug in data["authors"]]})
        return article

    def load_generated_articles(self, count, sections, authors, reference_slug) -> list[Article]:
        taken = {reference_slug}
        bylines = {}
        section_list = list(sections.values())
        articles = []
        for index in range(count):
            # One generator per article: article 7 is the same in a demo of 20 or of 200.
            rng = random.Random(f"notizie-demo:{self.seed}:{index}")
            section = section_list[index % len(section_list)]
            entry = self.section_entry(section.slug)
            title = self.title(rng, entry)
            slug = unique_slug(slugify(title), taken)
            tags = self.tags(rng, entry)
            status, published_at = self.timeline(rng, HIDDEN_STATES.get(index))
            image = None
            by_chance = rng.random() < IMAGE_SHARE
            # The week's stories fill the home page, where a picture matters most.
            recent = published_at and published_at > reference_time(self.now) - RECENT
            if by_chance or recent:
                image = self.hero(section, rng.randrange(IMAGE_VARIANTS) + 1)
            body = self.body(rng, entry, section, tags)
            # A generator of its own, so the rest of each article stays as it was.
            if random.Random(f"notizie-demo:{self.seed}:{index}:photo").random() < BODY_PHOTO_SHARE:
                body = self.with_photo(body, section)
            article = self.save_article(
                slug=slug,
                title=title,
                summary=self.summary(rng, entry),
                body=body,
                section=section,
                status=status,
                published_at=published_at,
                updated_at=self.correction_time(rng, status, published_at),
                comments_enabled=rng.random() > 0.1,
                image=image,
            )
            article.tags.set(tags)
            bylines[article] = self.pick_authors(rng, section, authors)
            articles.append(article)
        self.set_bylines(bylines)
        return articles

    def save_article(self, *, slug, image=None, **fields) -> Article:
        hero = {
            "hero_photo": None,
            "hero_image": "",
            "hero_renditions": {},
            "hero_alt": "",
            "hero_caption": "",
            "hero_credit": "",
        }
        if image:
            # From the library, as an editor would choose it (Article.save copies the file).
            photo = self.library_image(*image)
            hero = {
                "hero_photo": photo,
                "hero_alt": photo.alt,
                "hero_caption": photo.caption,
                "hero_credit": photo.credit,
            }
        fields.setdefault("updated_at", None)
        fields.setdefault("comments_enabled", True)
        article, _ = Article.objects.update_or_create(
            slug=slug,
            defaults={
                **fields,
                **hero,
                "seo_title": "",
                "seo_description": "",
                "language": reference_seed()["language"],
            },
        )
        return article

    def set_bylines(self, bylines: dict[Article, list[Author]]) -> None:
        """Replace the bylines of these articles: two queries whatever their number."""
        Byline.objects.filter(article__in=list(bylines)).delete()
        Byline.objects.bulk_create(
            Byline(article=article, author=author, position=position)
            for article, people in bylines.items()
            for position, author in enumerate(people)
        )
        # bulk_create sends no signal: the author names join the search vectors here.
        update_search_vector([article.pk for article in bylines])

    def timeline(self, rng, hidden_state):
        """Status and publication time; every public one is older than the reference."""
        if hidden_state in (DRAFT, REVIEW):
            return hidden_state, None
        if hidden_state == SCHEDULED:
            day = timezone.localdate(self.now) + timedelta(days=3)
            return Article.Status.PUBLISHED, timezone.make_aware(datetime.combine(day, time(7)))
        day = reference_time(self.now).date() - timedelta(days=rng.randint(1, 60))
        moment = time(rng.randint(6, 22), rng.randrange(0, 60, 5))
        published_at = timezone.make_aware(datetime.combine(day, moment))
        if hidden_state == UNPUBLISHED:
            return Article.Status.UNPUBLISHED, published_at
        return Article.Status.PUBLISHED, published_at

    @staticmethod
    def correction_time(rng, status, published_at):
        """Now and then a public article was corrected a few hours after publication."""
        if status == Article.Status.PUBLISHED and rng.random() < 0.12:
            return published_at + timedelta(hours=rng.randint(2, 9))
        return None

    def pick_authors(self, rng, section, authors) -> list[Author]:
        """One to three authors, the first usually from the section's own staff."""
        staff = self.staff.get(section.slug) or authors
        first = rng.choice(staff if rng.random() < 0.75 else authors)
        count = rng.choices([1, 2, 3], weights=[60, 33, 7])[0]
        others = rng.sample([a for a in authors if a != first], count - 1)
        return [first, *others]

    # Words

    def section_entry(self, slug) -> dict:
        return next(entry for entry in self.words["sections"] if entry["slug"] == slug)

    def title(self, rng, entry) -> str:
        return "{} {} {}{}".format(
            rng.choice(entry["subjects"]),
            rng.choice(entry["verbs"]),
            rng.choice(entry["objects"]),
            rng.choice(self.words["title_tails"]),
        )

    def tags(self, rng, entry) -> list[str]:
        pool = entry["tags"] + self.words["general_tags"]
        return rng.sample(pool, rng.choice([0, 1, 2, 2, 3, 3, 4, 4, 5, 6]))

    def slots(self, rng, entry) -> dict:
        topic = rng.choice(entry["topics"])
        gender = rng.randrange(2)  # 0 masculine, 1 feminine: the role agrees with the name
        return {
            "place": rng.choice(entry.get("places") or self.words["places"]),
            "topic": topic,
            "Topic": topic[0].upper() + topic[1:],
            "weekday": rng.choice(self.words["weekdays"]),
            "source": rng.choice(self.words["sources"]),
            # 2 to 7: "del 5,2%", never "del 8,2%" (Italian elides before a vowel).
            "percent": f"{rng.randint(2, 7)},{rng.randint(0, 9)}%",
            "number": rng.randint(12, 480),
            "years": rng.randint(3, 25),
            "voice_name": f"{rng.choice(self.words['first_names'][gender])} "
            f"{rng.choice(self.words['last_names'])}",
            "voice_role": rng.choice(entry["voices"])[gender],
        }

    def summary(self, rng, entry) -> str:
        return rng.choice(self.words["summaries"]).format(**self.slots(rng, entry))

    def paragraph(self, rng, entry, deck) -> str:
        """Three to five sentences dealt from ``deck``, reshuffled only when it runs out."""
        sentences = []
        for _ in range(rng.randint(3, 5)):
            if not deck:
                deck.extend(rng.sample(self.words["sentences"], len(self.words["sentences"])))
            sentences.append(deck.pop().format(**self.slots(rng, entry)))
        return escape(" ".join(sentences))

    def body(self, rng, entry, section, tags) -> str:
        """Four to seven paragraphs, one or two subheadings, now and then a quote or list."""
        count = rng.randint(4, 7)
        headings = iter(rng.sample(self.words["headings"], 2))
        heading_at = {2} | ({count - 1} if count >= 6 and rng.random() < 0.5 else set())
        quote_at = rng.randrange(1, count) if rng.random() < 0.3 else None
        list_at = rng.randrange(1, count) if rng.random() < 0.2 else None
        link_at = rng.randrange(count) if rng.random() < 0.3 else None
        blocks, deck = [], []
        for position in range(count):
            if position in heading_at:
                blocks.append(format_html("<h2>{}</h2>", next(headings)))
            text = self.paragraph(rng, entry, deck)
            if position == link_at:
                text += " " + self.link(rng, section, tags)
            blocks.append(f"<p>{text}</p>")
            if position == quote_at:
                intro = rng.choice(self.words["quote_intros"]).format(**self.slots(rng, entry))
                blocks.append(format_html("<p>{}</p>", intro))
                quote = "“{}”".format(rng.choice(self.words["quotes"]))
                blocks.append(format_html("<blockquote><p>{}</p></blockquote>", quote))
            if position == list_at:
                items = rng.sample(self.words["list_items"], 3)
                blocks.append(format_html("<p>{}</p>", rng.choice(self.words["list_intros"])))
                blocks.append(
                    "<ul>{}</ul>".format("".join(format_html("<li>{}</li>", i) for i in items))
                )
        return "\n".join(blocks)

    @staticmethod
    def link(rng, section, tags) -> str:
        """A link to another page of the demo, so that it never points at a made-up source."""
        if tags and rng.random() < 0.5:
            tag = rng.choice(tags)
            url = reverse("articles:tag", kwargs={"slug": slugify(tag)})
            return format_html('Tutti gli articoli su <a href="{}">{}</a>.', url, tag)
        return format_html(
            'Altre notizie nella sezione <a href="{}">{}</a>.',
            section.get_absolute_url(),
            section.name,
        )

    # Images

    def hero(self, section, variant) -> tuple[str, str] | None:
        """The stored name and alt text of one of the section's placeholder images."""
        if not self.with_images:
            return None
        entry = self.section_entry(section.slug)
        letter = section.name[0]
        name = self.stored_image(
            f"articles/demo/{section.slug}-{variant}.jpg",
            lambda: placeholder(letter, entry["colors"], variant),
        )
        alt = (
            f"Immagine segnaposto della sezione {section.name}: "
            f"forme geometriche su uno sfondo sfumato e la lettera {letter}."
        )
        return name, alt

    def with_photo(self, body, section) -> str:
        """``body`` with the section's photo of the library after its first paragraph."""
        photo = self.library_photo(section)
        if photo is None:
            return body
        first, _, rest = body.partition("\n")
        figure = format_html(
            '<figure class="figure"><img src="" alt="" data-file="{}">'
            "<figcaption>{}</figcaption></figure>",
            photo.pk,
            photo.figure_caption,
        )
        return f"{first}\n{figure}\n{rest}"

    def library_photo(self, section) -> LibraryImage | None:
        """The section's placeholder, also in the photo library, for article bodies."""
        if section.slug not in self.photos:
            placeholder = self.hero(section, IMAGE_VARIANTS)
            if placeholder is None:
                return None
            self.photos[section.slug] = self.library_image(*placeholder)
        return self.photos[section.slug]

    def library_image(self, name, alt) -> LibraryImage:
        """The library's photo of the placeholder ``name``: made (and its renditions) once."""
        if name not in self.library:
            self.library[name], _ = LibraryImage.objects.get_or_create(
                file=name, defaults={"alt": alt, "caption": IMAGE_CAPTION, "credit": IMAGE_CREDIT}
            )
        return self.library[name]

    @staticmethod
    def stored_image(name: str, render) -> str:
        """Store ``render()`` as ``name`` unless a previous run already did."""
        if default_storage.exists(name):
            return name
        return default_storage.save(name, ContentFile(render()))


def unique_slug(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def _gradient(size, colors, horizontal=False) -> Image.Image:
    start, end = (ImageColor.getrgb(color) for color in colors)
    mask = Image.linear_gradient("L")
    if horizontal:
        mask = mask.transpose(Image.Transpose.ROTATE_90)
    return Image.composite(
        Image.new("RGB", size, end), Image.new("RGB", size, start), mask.resize(size)
    ).convert("RGBA")


def _jpeg(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def placeholder(letter: str, colors, variant: int) -> bytes:
    """A 1600x900 JPEG: gradient, translucent shapes, the section's initial. Deterministic."""
    rng = random.Random(f"placeholder:{letter}:{variant}")
    width, height = HERO_SIZE
    image = _gradient(HERO_SIZE, colors, horizontal=variant % 2 == 0)
    overlay = Image.new("RGBA", HERO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(7):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randint(60, 320)
        fill = (255, 255, 255, rng.randint(25, 70)) if rng.random() < 0.6 else (0, 0, 0, 40)
        box = (x - radius, y - radius, x + radius, y + radius)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=fill)
        else:
            draw.rectangle(box, fill=fill)
    draw.text(
        (width * 0.72, height * 0.5),
        letter,
        font=ImageFont.load_default(size=int(height * 0.6)),
        fill=(255, 255, 255, 210),
        anchor="mm",
    )
    draw.text(
        (48, height - 48),
        "NOTIZIE · IMMAGINE DIMOSTRATIVA",
        font=ImageFont.load_default(size=32),
        fill=(255, 255, 255, 190),
        anchor="ls",
    )
    return _jpeg(Image.alpha_composite(image, overlay))


def portrait(name: str, colors) -> bytes:
    """A 600x600 JPEG with the person's initials on a gradient. Deterministic."""
    image = _gradient(PORTRAIT_SIZE, colors)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    ImageDraw.Draw(image).text(
        (PORTRAIT_SIZE[0] / 2, PORTRAIT_SIZE[1] / 2),
        initials,
        font=ImageFont.load_default(size=240),
        fill=(255, 255, 255, 235),
        anchor="mm",
    )
    return _jpeg(image)
