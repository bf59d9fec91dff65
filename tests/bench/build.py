"""
Benchmark data, fast: bulk inserts in big batches, no signals, one pass of
search vectors at the end (PostgreSQL). Call ``build(preset)`` after
``django.setup()`` on an empty, migrated database.
"""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.models import Article, Byline, Section
from articles.search import stores_vectors, update_search_vector
from authors.models import Author
from comments.models import Comment
from newsroom.demo import reference_seed

PRESETS = {
    "postgresql": {"articles": 100_000, "authors": 500, "tags": 1_000, "comments": 1_000_000},
    "sqlite": {"articles": 5_000, "authors": 100, "tags": 200, "comments": 50_000},
    "small": {"articles": 1_000, "authors": 50, "tags": 100, "comments": 5_000},
}
BIG_SLUG = "articolo-con-2000-commenti"
BATCH = 5_000
WORDS = [
    "porto",
    "comune",
    "consiglio",
    "bilancio",
    "scuola",
    "treno",
    "ponte",
    "sindaco",
    "regione",
    "lavoro",
    "cantiere",
    "mare",
    "strada",
    "ospedale",
    "piazza",
    "museo",
    "festival",
    "mercato",
    "energia",
    "acqua",
]


def sentence(rng, length):
    return " ".join(rng.choices(WORDS, k=length)).capitalize() + "."


def body(rng):
    return "".join(f"<p>{sentence(rng, rng.randint(25, 45))}</p>" for _ in range(6))


def comments_for(rng, article, count, now, *, threads=True):
    """
    ``count`` approved comments, oldest first. With ``threads`` every third
    answers one of the 200 comments before it, saved in an earlier round so
    that its primary key is known (a long discussion has replies of replies).
    """
    comments = [
        Comment(
            article_id=article,
            name=f"Lettore {n}",
            email=f"lettore{n}@example.org",
            body=sentence(rng, rng.randint(8, 40)),
            status=Comment.Status.APPROVED,
            created_at=now - timedelta(minutes=count - n),
        )
        for n in range(count)
    ]
    replies = set(range(2, count, 3)) if threads else set()
    rounds = [[n for n in range(count) if n not in replies]]
    rounds += [
        [n for n in range(start, start + 300, 3) if n in replies] for start in range(2, count, 300)
    ]
    for numbers in rounds:
        for n in numbers:
            if n in replies:
                earlier = [c for c in comments[max(0, n - 200) : n] if c.pk]
                parent = rng.choice(earlier)
                comments[n].parent_id, comments[n].depth = parent.pk, min(parent.depth + 1, 3)
        Comment.objects.bulk_create([comments[n] for n in numbers], batch_size=BATCH)
    return comments


def build(preset: str, seed: int = 1972, log=print) -> dict:
    sizes = PRESETS[preset]
    rng = random.Random(seed)
    now = timezone.now()
    # The reference article is the seed's, word for word, in its section, by
    # its author, with its tags: the page the targets are set on.
    reference_data = reference_seed()["article"]
    section_names = [reference_data["section"], *(f"Sezione {n}" for n in range(1, 8))]
    sections = Section.objects.bulk_create(
        Section(name=name, slug=slugify(name), order=n) for n, name in enumerate(section_names)
    )
    authors = Author.objects.bulk_create(
        [
            *(
                Author(name=person["name"], slug=person["slug"], bio=person["bio"])
                for person in reference_seed()["authors"]
            ),
            *(
                Author(name=f"Firma {n}", slug=f"firma-{n}", bio=sentence(rng, 20))
                for n in range(sizes["authors"])
            ),
        ]
    )
    seeded_authors = {author.slug: author for author in authors}
    reference_tags = Tag.objects.bulk_create(
        Tag(name=name, slug=slugify(name)) for name in reference_data["tags"]
    )
    tags = Tag.objects.bulk_create(
        Tag(name=f"Argomento {n}", slug=f"argomento-{n}") for n in range(sizes["tags"])
    )
    article_type = ContentType.objects.get_for_model(Article)
    ids = []
    for start in range(0, sizes["articles"], BATCH):
        numbers = range(start, min(start + BATCH, sizes["articles"]))
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                Article(
                    title=sentence(rng, rng.randint(6, 12)).rstrip("."),
                    slug=f"articolo-{n}" if n != 1 else BIG_SLUG,
                    summary=sentence(rng, rng.randint(12, 24)),
                    body=body(rng),
                    section=sections[n % len(sections)],
                    status=Article.Status.PUBLISHED,
                    # The two measured articles are the newest: on the home page.
                    published_at=now - timedelta(minutes=n + 1 if n < 2 else rng.randint(3, 10**6)),
                )
                if n
                else Article(
                    title=reference_data["title"],
                    slug=slugify(reference_data["title"]),
                    body=reference_data["body_html"],
                    section=sections[0],
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=1),
                )
                for n in numbers
            )
            Byline.objects.bulk_create(
                Byline(article=article, author=author, position=position)
                for article in articles
                for position, author in enumerate(
                    [seeded_authors[slug] for slug in reference_data["authors"]]
                    if article.slug == slugify(reference_data["title"])
                    else rng.sample(authors, rng.choice((1, 1, 2, 3)))
                )
            )
            TaggedItem.objects.bulk_create(
                TaggedItem(content_type=article_type, object_id=article.pk, tag=tag)
                for article in articles
                for tag in (
                    reference_tags
                    if article.slug == slugify(reference_data["title"])
                    else rng.sample(tags, 3)
                )
            )
            if stores_vectors():
                update_search_vector([article.pk for article in articles])
        ids.extend(article.pk for article in articles)
        log(f"articles {len(ids)} / {sizes['articles']}")
    reference, big = ids[0], ids[1]
    comments_for(rng, reference, 50, now)
    comments_for(rng, big, 2_000, now)
    rest = sizes["comments"] - 2_050
    # The measured articles keep exactly the comments given above.
    others = ids[2:]
    for start in range(0, rest, 50_000):
        with transaction.atomic():
            chunk = min(50_000, rest - start)
            Comment.objects.bulk_create(
                (
                    Comment(
                        article_id=rng.choice(others),
                        name=f"Lettore {n}",
                        email=f"lettore{n}@example.org",
                        body=sentence(rng, rng.randint(8, 40)),
                        status=Comment.Status.APPROVED if n % 10 else Comment.Status.PENDING,
                        created_at=now - timedelta(minutes=n),
                    )
                    for n in range(start, start + chunk)
                ),
                batch_size=BATCH,
            )
        log(f"comments {2_050 + start + chunk} / {sizes['comments']}")
    return described(sizes)


def described(sizes: dict) -> dict:
    """What the benchmark measures in a database ``build()`` filled."""
    reference = Article.objects.get(slug=slugify(reference_seed()["article"]["title"]))
    return {
        "sizes": sizes,
        "reference": reference.get_absolute_url(),
        "reference_id": reference.pk,
        "reference_tag": f"article:{reference.pk}",
        "big": Article.objects.get(slug=BIG_SLUG).get_absolute_url(),
        "tag": "/tag/argomento-1/",
        "section": reference.section.get_absolute_url(),
    }


def built(preset: str) -> dict | None:
    """The description of a database an earlier ``build(preset)`` filled, or None."""
    sizes = PRESETS[preset]
    if (
        Article.objects.count() != sizes["articles"]
        or not Article.objects.filter(slug=BIG_SLUG).exists()
    ):
        return None
    return described(sizes)
