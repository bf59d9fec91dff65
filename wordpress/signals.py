"""
Sent when an import has written (not after a dry run). Imports write in bulk,
which sends no ``post_save``: whoever caches pages built from the imported
content (the project's page cache) listens here instead of importing this app.
"""

from django.dispatch import Signal

# Sent with sender=None and report=<wordpress.report.Report>.
import_finished = Signal()
