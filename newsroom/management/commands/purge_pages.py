from django.core.management.base import BaseCommand

from newsroom.invalidation import invalidate_everything


class Command(BaseCommand):
    help = (
        "Make every stored reader page stale, in the page cache and at the edge: "
        "run it after a deploy that changes what pages print (templates, settings)."
    )

    def handle(self, *args, **options):
        invalidate_everything()
        self.stdout.write("Every stored page will be rendered anew.")
