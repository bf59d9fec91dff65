from urllib.parse import urljoin

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from newsroom import demo


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: the reference article exactly as seeded, generated "
        "sections, authors and articles, and a superuser 'admin' with a new password. "
        "Safe to run again: it updates the same rows and resets the password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=demo.DEFAULT_ARTICLE_COUNT,
            help="How many articles to generate besides the reference one (default: %(default)s).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="Seed of the generator; the same seed gives the same articles.",
        )
        parser.add_argument(
            "--site-url",
            default=demo.SITE_URL,
            help="Where the site will be served, for the links printed at the end.",
        )
        parser.add_argument(
            "--no-images",
            action="store_false",
            dest="images",
            help="Skip placeholder images and author photos (faster, for tests).",
        )

    def handle(self, *args, articles, seed, images, site_url, **options):
        if articles < 0:
            raise CommandError("--articles must be zero or more.")
        report = demo.load_demo(articles=articles, seed=seed, images=images)
        password = demo.reset_admin()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {report.articles} articles ({report.public_articles} public), "
                f"{report.sections} sections, {report.authors} authors, {report.tags} tags, "
                f"{report.comments} comments, {report.hero_images} placeholder images."
            )
        )
        self.stdout.write(f"Reference article: {report.reference.get_absolute_url()}")
        self.stdout.write(f"Site:     {site_url}")
        self.stdout.write(f"Admin:    {urljoin(site_url, reverse('admin:index'))}")
        self.stdout.write(f"Username: {demo.ADMIN_USERNAME}")
        self.stdout.write(f"Password: {password}")
