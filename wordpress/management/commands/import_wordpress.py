"""``manage.py import_wordpress EXPORT.xml``: see wordpress/importer.py for how."""

import sys

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import BATCH_SIZE, import_export
from wordpress.report import Report
from wordpress.wxr import WXRError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.1/1.2, Tools > Export > All content): authors, "
        "categories and tags, posts, comments and old URLs. Safe to run again: it updates "
        "what changed and creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            help="A local copy of wp-content/uploads: featured images are taken from here "
            "(never downloaded).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, export, media_dir, dry_run, batch_size, **options):
        report = Report(dry_run=dry_run)
        try:
            import_export(
                export,
                media_dir=media_dir,
                dry_run=dry_run,
                batch_size=batch_size,
                progress=self.show_progress if self.stdout.isatty() else None,
                report=report,
            )
        except WXRError as error:
            raise CommandError(f"{export}: not a readable WordPress export: {error}") from None
        except OSError as error:
            raise CommandError(f"{export}: {error}") from None
        except BaseException:
            # Whole batches were committed: say what, so a re-run is no surprise.
            if any(report.counts.values()):
                sys.stderr.write("\n".join(["Stopped. Already imported:", *report.lines()]) + "\n")
            raise
        if self.stdout.isatty():
            self.stdout.write("")
        self.stdout.write("\n".join(report.lines()))

    def show_progress(self, done: int, total: int) -> None:
        self.stdout.write(f"\rposts {done}/{total}", ending="")
        self.stdout.flush()
