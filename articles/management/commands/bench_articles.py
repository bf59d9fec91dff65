"""
Benchmark data: many generated articles, fast (bulk inserts, one pass of search
vectors), to measure pages and search at a newsroom's scale. Not demo content:
see ``load_demo`` for that.
"""

import json
import random
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, Byline, Section
from articles.search import stores_vectors, update_search_vector
from authors.models import Author

VOCABULARY = Path(settings.BASE_DIR) / "newsroom" / "fixtures" / "demo-vocabulary.json"
SLUG_PREFIX = "banco-"
# Words each found in about one article in a hundred, to search for.
RARE_WORDS = ["satellite", "invito", "razzo", "vaccino", "terremoto", "ghiacciaio", "cantiere"]


def vocabulary_words() -> list[str]:
    """Every word of the demo's sentences, without their placeholders."""
    data = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    text = " ".join(
        " ".join(data[key])
        for key in ("sentences", "summaries", "quotes", "headings", "list_items")
    )
    return sorted(
        {word.lower() for word in re.findall(r"\b[^\W\d_]{3,}\b", re.sub(r"\{\w+\}", " ", text))}
    )


class Command(BaseCommand):
    help = "Add generated, published articles for benchmarks (100,000 by default)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1972)
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, count, seed, batch_size, **options):
        rng = random.Random(seed)
        words = vocabulary_words()
        section, _ = Section.objects.get_or_create(
            slug="banco-di-prova", defaults={"name": "Banco di prova", "order": 99}
        )
        authors = [
            Author.objects.get_or_create(
                slug=f"{SLUG_PREFIX}{n}", defaults={"name": f"Firma di prova {n}"}
            )[0]
            for n in range(40)
        ]
        first = Article.objects.filter(slug__startswith=SLUG_PREFIX).count()
        now = timezone.now()

        def sentence(length):
            chosen = rng.choices(words, k=length)
            if rng.random() < 0.07:
                chosen[rng.randrange(length)] = rng.choice(RARE_WORDS)
            return " ".join(chosen).capitalize() + "."

        for start in range(first, first + count, batch_size):
            numbers = range(start, min(start + batch_size, first + count))
            with transaction.atomic():
                articles = Article.objects.bulk_create(
                    Article(
                        title=sentence(rng.randint(6, 12)).rstrip("."),
                        slug=f"{SLUG_PREFIX}{n}",
                        summary=sentence(rng.randint(12, 24)),
                        body="".join(f"<p>{sentence(rng.randint(20, 40))}</p>" for _ in range(5)),
                        section=section,
                        status=Article.Status.PUBLISHED,
                        published_at=now - timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60)),
                    )
                    for n in numbers
                )
                Byline.objects.bulk_create(
                    Byline(article=article, author=rng.choice(authors)) for article in articles
                )
                update_search_vector([article.pk for article in articles])
            self.stdout.write(f"{numbers[-1] + 1 - first} / {count}")
        if stores_vectors():
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE articles_article")
        self.stdout.write(self.style.SUCCESS(f"Added {count} articles."))
