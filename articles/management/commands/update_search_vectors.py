from django.core.management.base import BaseCommand

from articles.models import Article
from articles.search import stores_vectors, update_search_vector


class Command(BaseCommand):
    help = (
        "Rebuild the stored search vectors of all articles (PostgreSQL only): after "
        "bulk_create, QuerySet.update, raw SQL, or a change of SEARCH_CONFIG(S)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Articles per UPDATE, so that no transaction holds every row at once.",
        )

    def handle(self, *args, batch_size, **options):
        if not stores_vectors():
            self.stdout.write("This database searches without stored vectors: nothing to do.")
            return
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            update_search_vector(ids[start : start + batch_size])
        self.stdout.write(f"Search vectors rebuilt for {len(ids)} articles.")
