"""The output tree as one plan or commit sees it: paths confined to the root, directories listed once.

A path is checked (inside the root, no symlink out) and a file's existence
known from its directory's listing, so 77,000 new files cost a few ``scandir``
calls instead of a ``realpath``, ``lstat`` and failed ``open`` each (with
pathlib that was 4 s of a 10,000-table run).
"""

from __future__ import annotations

import bisect
import fnmatch
import os
from pathlib import Path

_WILD = frozenset("*?[")


class OutDir:
    """Resolved directories and listings of one output root, cached for one plan or apply."""

    def __init__(self, root: Path | str) -> None:
        self.base = os.fspath(root)
        self.real_root = os.path.realpath(self.base)
        self.inside = self.real_root.rstrip(os.sep) + os.sep
        self._real: dict[str, str] = {}
        # As the disk was when first looked at: what this run creates is not added.
        self._listing: dict[str, dict[str, bool] | None] = {}   # name -> is a symlink
        self._reversed: dict[str, list[str]] = {}
        self._folders: dict[str, tuple[str, str] | None] = {}

    def real(self, folder: str) -> str:
        if folder not in self._real:
            self._real[folder] = os.path.realpath(os.path.join(self.base, folder))
        return self._real[folder]

    def listing(self, folder: str) -> dict[str, bool] | None:
        """Entries of ``folder`` (relative), None when it is not a directory."""
        if folder not in self._listing:
            try:
                with os.scandir(os.path.join(self.base, folder)) as it:
                    self._listing[folder] = {e.name: e.is_symlink() for e in it}
            except OSError:
                self._listing[folder] = None
        return self._listing[folder]

    def target(self, rel: str) -> str | None:
        """The absolute path of ``rel`` if it stays inside the root (no absolute path,
        no ``..``, no ``.schemac``, no symlinked directory or file pointing out).

        Each directory is judged once; a file then costs a few string checks."""
        raw, _, name = rel.rpartition("/")
        if raw not in self._folders:
            self._folders[raw] = self._folder(raw)
        judged = self._folders[raw]
        if judged is None or name in ("", ".", "..") or "\\" in name or "\x00" in name:
            return None
        folder, prefix = judged
        if not folder and name == ".schemac":
            return None
        path = prefix + name
        entries = self.listing(folder)
        try:
            if entries and entries.get(name) and \
                    not os.path.realpath(path).startswith(self.inside):
                return None  # the file itself points out
        except OSError:
            return None
        return path

    def _folder(self, raw: str) -> tuple[str, str] | None:
        """(normalized relative folder, absolute prefix) if ``raw`` stays inside."""
        if raw.startswith("/") or "\\" in raw or "\x00" in raw:
            return None
        parts = [p for p in raw.split("/") if p not in ("", ".")]
        if ".." in parts or (parts and parts[0] == ".schemac"):  # .schemac: manifest, cache
            return None
        folder = "/".join(parts)
        try:
            real = self.real(folder)
        except OSError:
            return None
        if real != self.real_root and not real.startswith(self.inside):
            return None
        return folder, os.path.join(self.base, folder, "")

    def exists(self, rel: str) -> bool:
        folder, _, name = rel.rpartition("/")
        return name in (self.listing(folder) or ())

    def glob_any(self, pattern: str) -> bool:
        """Does any file that existed before this run match ``pattern`` (relative)?

        ``dir/*_suffix`` is answered by bisecting the directory's reversed names (a
        migration's ``*_create_users_table.php`` over a folder of 10,000 migrations
        was quadratic); other patterns by matching each name."""
        folder, _, name = pattern.rpartition("/")
        if not _WILD.isdisjoint(folder):
            return any(Path(self.base).glob(pattern))
        entries = self.listing(folder) or {}
        if _WILD.isdisjoint(name):
            return name in entries
        if name.startswith("*") and _WILD.isdisjoint(name[1:]):
            if folder not in self._reversed:
                self._reversed[folder] = sorted(n[::-1] for n in entries)
            names, key = self._reversed[folder], name[:0:-1]
            i = bisect.bisect_left(names, key)
            return i < len(names) and names[i].startswith(key)
        return bool(fnmatch.filter(entries, name))

    def made(self, rel: str) -> tuple[str, ...]:
        """Make the directory of a file about to be created if it is missing, and return
        the directories made (outermost first), so an aborted run can remove them."""
        folder = rel.rpartition("/")[0]
        if self.listing(folder) is not None:
            return ()
        created: list[str] = []
        path = os.path.abspath(os.path.join(self.base, folder))
        while not os.path.isdir(path):   # the root too, when it did not exist
            created.append(path)
            path = os.path.dirname(path)
        os.makedirs(os.path.join(self.base, folder), exist_ok=True)
        self._listing[folder] = {}
        return tuple(reversed(created))


def safe_target(root: Path, rel: str) -> Path | None:
    """``root/rel`` if it stays inside ``root`` (see :meth:`OutDir.target`)."""
    found = OutDir(root).target(rel)
    return None if found is None else Path(found)


def read_text(path: str) -> str | None:
    """The file's text; None if missing; a marker no hash matches if it is not
    UTF-8 text or not a readable file (it is then never overwritten)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return None
    except OSError:
        return "\x00unreadable"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "\x00binary"
