"""The manifest (``<out>/.schemac/manifest.json``) and the content hashes that tell schemac's files from the user's.

A regenerated file carries a hash of its content in its header (the backend
writes :data:`backends.HASH_PLACEHOLDER`, :func:`finalize` fills it in); the
manifest records, per file written, that hash of the final text, its
ownership, the tables it depends on and its target.  :func:`pristine` decides
whether a file on disk is still exactly what schemac wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from json.encoder import (
    encode_basestring_ascii as _q,  # json.dumps(str), C, no overhead
)
from pathlib import Path

from backends import HASH_PLACEHOLDER, OutputFile
from compiler import atomic

MANIFEST = ".schemac/manifest.json"
_HEX16 = re.compile(r"\b[0-9a-f]{16}\b")
_ENTRY = json.JSONEncoder(sort_keys=True)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def finalize(text: str) -> str:
    """Put the content hash in place of the header placeholder."""
    if HASH_PLACEHOLDER not in text:
        return text
    return text.replace(HASH_PLACEHOLDER, content_hash(text))


def pristine(text: str, recorded: str | None) -> bool:
    """True when ``text`` is exactly what schemac wrote (not edited by the user).

    The manifest's hash decides first; the hash in the file's own header is the
    fallback (a run interrupted before it saved the manifest, a lost manifest)."""
    if recorded is not None and content_hash(text) == recorded:
        return True
    for line in text.splitlines()[:8]:
        for token in _HEX16.findall(line):
            candidate = text.replace(token, HASH_PLACEHOLDER, 1)
            if content_hash(candidate) == token:
                return True
    return False


def read_manifest(root: Path) -> dict[str, dict]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        return dict(data.get("files", {}))
    except (OSError, ValueError):
        return {}


def write_manifest(root: Path, manifest: dict[str, dict | str]) -> None:
    """Write ``manifest`` (path -> entry, a dict or its JSON text) atomically.

    One line per file: small diffs when the manifest is committed, and fast to
    write.  Sorted by key, not as (key, entry) pairs: tuple comparisons were 5x
    slower."""
    lines = []
    for p in sorted(manifest):
        e = manifest[p]
        lines.append(f"{_q(p)}: {e if isinstance(e, str) else _ENTRY.encode(e)}")
    body = '{"format": 1, "files": {\n' + ",\n".join(lines) + "\n}}\n"
    os.makedirs(root / ".schemac", exist_ok=True)
    atomic.write_atomic(root / MANIFEST, body)


def manifest_entry(f: OutputFile, digest: str, source: str) -> str:
    """A manifest entry as JSON text, keys sorted (what ``json.dumps(entry,
    sort_keys=True)`` gives, without building the dict: 77,000 of them)."""
    where = f', "source": {_q(source)}' if source else ""
    return (f'{{"hash": "{digest}", "ownership": "{f.ownership.value}"{where}, '
            f'"tables": [{", ".join(map(_q, f.tables))}], "target": {_q(f.target)}}}')
