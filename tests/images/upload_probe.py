"""
Uploads processed in a fresh process, which prints what they cost in memory.

Run by tests/images/test_memory.py as ``python upload_probe.py FILE COPIES``:
``COPIES`` threads each take ``FILE`` through what saving an upload does (the
copy without metadata, then the renditions), all at once, the way the threads
of one server process would. Printed, as JSON: the growth of the process's
peak resident memory over what it held before, in bytes, and the seconds.
"""

import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import FileSystemStorage  # noqa: E402

from images.originals import without_metadata  # noqa: E402
from images.renditions import make_renditions  # noqa: E402
from tests.images.stored_file import StoredFile  # noqa: E402


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def upload(data: bytes, storage, number: int, results: list) -> None:
    name = f"upload-{number}.png"
    original = without_metadata(ContentFile(data, name=name), name)
    stored = StoredFile(storage, storage.save(original.name, original))
    results.append(make_renditions(stored))


def main(path: str, copies: int) -> None:
    data = Path(path).read_bytes()
    storage = FileSystemStorage(location=tempfile.mkdtemp())
    results = []
    threads = [
        threading.Thread(target=upload, args=(data, storage, number, results))
        for number in range(copies)
    ]
    before = max(resident_bytes(), peak_bytes())
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    growth = peak_bytes() - before
    print(json.dumps({"growth": growth, "seconds": seconds, "renditions": results}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
