"""
Finding a WordPress upload among local files, never on the internet.

The newsroom copies ``wp-content/uploads`` (or a wordpress.com media export)
somewhere and passes it as ``--media-dir``. An attachment URL is matched by its
path below the uploads folder (``2019/03/photo.jpg``), else by its file name
alone, when only one file has that name.
"""

from collections import defaultdict
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

UPLOAD_MARKERS = ("/wp-content/uploads/", "/files/")


class MediaDir:
    def __init__(self, root):
        self.root = Path(root).resolve()
        self._by_name = None

    def find(self, url: str) -> Path | None:
        """The local copy of the file at ``url``, if there is exactly one."""
        path = unquote(urlsplit(url).path)
        if not path or path.endswith("/"):
            return None
        for relative in self._candidates(path):
            candidate = (self.root / relative).resolve()
            # A crafted URL with ".." must not reach outside the folder.
            if candidate.is_relative_to(self.root) and candidate.is_file():
                return candidate
        matches = self.by_name().get(PurePosixPath(path).name, [])
        return matches[0] if len(matches) == 1 else None

    @staticmethod
    def _candidates(path: str) -> list[str]:
        candidates = []
        for marker in UPLOAD_MARKERS:
            if marker in path:
                candidates.append(path.split(marker, 1)[1])
        candidates.append(path.lstrip("/"))
        return candidates

    def by_name(self) -> dict[str, list[Path]]:
        """Every file under the folder by its name: one walk, on first need."""
        if self._by_name is None:
            self._by_name = defaultdict(list)
            for file in self.root.rglob("*"):
                if file.is_file():
                    self._by_name[file.name].append(file)
        return self._by_name
