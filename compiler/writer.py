"""Write generated files safely: only inside the output root, atomically, never over user work.

The writer first *plans* (pure: reads the disk, decides one :class:`Action` per
file), then *applies* the plan.  ``--check`` and ``--dry-run`` stop after
planning.  Ownership rules (DESIGN.md):

- regenerated: written when missing or changed; a copy the user edited (its
  content no longer matches the hash schemac recorded) is left alone unless
  ``force``; a file schemac wrote earlier and no longer produces is removed
  only when unmodified.
- create-once: written only when neither it nor anything matching its
  ``exists_glob`` exists; never touched again.
- merged: the backend's ``merge(path, old, new)`` keeps the user's code.

What schemac wrote is recorded in ``<out>/.schemac/manifest.json`` (path,
ownership, hash, target, tables).  Every write goes to a temp file in the same
directory and is renamed over the target (:mod:`compiler.atomic`), so an
interrupted run leaves each file either old or new.  A compile run plans and
*stages* each file in the worker process that emitted it (:func:`plan_files`
with ``stage=True``: the temp copy is written there, in parallel, and only a
small action travels back); :func:`apply` then renames, or :func:`discard`
drops every temp file when the run must write nothing.  A new file may instead
be *placed* there at once (``place_new``: written unnamed and linked at its
path, :func:`atomic.place_new`), which :func:`discard` deletes again.
"""

from __future__ import annotations

import enum
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import attrs

from backends import OutputFile, Ownership
from compiler import atomic
from compiler.manifest import (
    MANIFEST,
    content_hash,
    finalize,
    manifest_entry,
    pristine,
    read_manifest,
    write_manifest,
)
from compiler.outdir import OutDir, read_text, safe_target

__all__ = ["MANIFEST", "Action", "Kind", "apply", "commit_new", "content_hash", "discard",
           "drift", "finalize", "manifest_entry", "plan", "plan_files", "pristine",
           "read_manifest", "safe_target", "sweep_temps"]



class Kind(enum.StrEnum):
    CREATE = "create"            # new file
    UPDATE = "update"            # schemac's file, content changed
    UNCHANGED = "unchanged"
    REMOVE = "remove"            # schemac's file no longer produced, unmodified
    KEEP_EXISTING = "keep"       # create-once file (or its glob) exists: the user's
    CONFLICT = "conflict"        # would overwrite or delete the user's edits
    REJECTED = "rejected"        # path escapes the output root


@attrs.frozen
class Action:
    kind: Kind
    path: str
    text: str | None = None
    reason: str = ""
    file: OutputFile | None = attrs.field(default=None, eq=False, repr=False)
    # A staged action (text None): the temp file holding the new text, its size and
    # mtime, the manifest hash of the text, and the directories made for it.
    staged: str | None = None
    stamp: tuple[int, int] | None = None
    digest: str = ""
    made: tuple[str, ...] = ()
    entry: str = ""   # its manifest entry, as JSON text (made where the file was staged)
    # A new file already in place (absolute path): put there whole by the process
    # that emitted it (:func:`atomic.place_new`), instead of staged for a rename.
    placed: str | None = None

    def __reduce__(self) -> tuple:
        # Pickled as a constructor call: attrs' slot-state protocol made pickling
        # 77,000 actions in the workers and unpickling them here twice as slow.
        return Action, (self.kind, self.path, self.text, self.reason, self.file, self.staged,
                        self.stamp, self.digest, self.made, self.entry, self.placed)


_CONFLICT = ("edited since schemac wrote it (or not written by schemac); "
             "use --force to overwrite")


def _decide(f: OutputFile, target: str, manifest: dict, force: bool,
            merge: Callable[[str, str, str], str] | None,
            disk: OutDir) -> tuple[Kind, str | None, str]:
    """(kind, final text, reason) of one file whose path is safe (``target``)."""
    old = read_text(target) if disk.exists(f.path) else None
    if f.ownership is Ownership.CREATE_ONCE:
        if old is not None:
            return Kind.KEEP_EXISTING, None, "exists (create-once)"
        if f.exists_glob and disk.glob_any(f.exists_glob):
            return Kind.KEEP_EXISTING, None, f"a file matching {f.exists_glob} exists"
        return Kind.CREATE, finalize(f.text), ""
    new = finalize(f.text)
    if old is None:
        return Kind.CREATE, new, ""
    if f.ownership is Ownership.MERGED and merge is not None:
        new = merge(f.path, old, new)
        return (Kind.UNCHANGED if new == old else Kind.UPDATE), new, ""
    if new == old:
        return Kind.UNCHANGED, new, ""
    recorded = manifest.get(f.path, {}).get("hash")
    if not force and not pristine(old, recorded):
        return Kind.CONFLICT, new, _CONFLICT
    return Kind.UPDATE, new, ""


_STUBS: dict[tuple, OutputFile] = {}


def _stub(f: OutputFile) -> OutputFile:
    """What the parent needs of a staged file: target, ownership and kept note, in one
    object shared by every file of that kind (no path, text or tables: its action
    has the path and the manifest entry).  Shared, a task's result pickles it once;
    a per-file copy cost more to copy and pickle than to stage the file."""
    key = (f.target, f.ownership, f.kept_note, f.kept_marker)
    stub = _STUBS.get(key)
    if stub is None:
        stub = _STUBS[key] = OutputFile("", "", f.ownership, (), None, f.target,
                                        f.kept_note, f.kept_marker)
    return stub


def _staged(kind: Kind, f: OutputFile, text: str | None, reason: str, target: str,
            disk: OutDir, source: str, place: bool) -> Action:
    """Write the file's temp copy now (or, with ``place``, put a new file in place);
    keep only what the parent needs (no text)."""
    if kind not in (Kind.CREATE, Kind.UPDATE, Kind.UNCHANGED) or text is None:
        return Action(kind, f.path, None, reason, _stub(f))
    blob = text.encode("utf-8")
    digest = hashlib.sha256(blob).hexdigest()[:16]
    entry = manifest_entry(f, digest, source)
    if kind is Kind.UNCHANGED:
        return Action(kind, f.path, None, reason, _stub(f), digest=digest, entry=entry)
    exists = disk.exists(f.path)
    made = disk.made(f.path)
    if place and kind is Kind.CREATE and not exists:
        st = atomic.place_new(target, blob)
        if st is not None:
            return Action(kind, f.path, None, reason, _stub(f), None,
                          (st.st_size, st.st_mtime_ns), digest, made, entry, target)
    mode = os.stat(target).st_mode & 0o7777 if exists else None  # keep it
    tmp, st = atomic.stage(target, blob, mode)
    return Action(kind, f.path, None, reason, _stub(f), tmp, (st.st_size, st.st_mtime_ns),
                  digest, made, entry)


def plan_files(files: Iterable[OutputFile], root: Path, manifest: dict[str, dict], *,
               force: bool = False, merges: dict[str, Callable[[str, str, str], str]] | None = None,
               stage: bool = False, source: str = "", disk: OutDir | None = None,
               place_new: bool = False) -> list[Action]:
    """One action per output file (no removals: see :func:`plan`), in order.

    With ``stage``, every file to write is written to its temp file now and the
    action keeps no text, only its manifest entry for ``source`` and a stub of its
    file (a worker process sends back only this); with ``place_new`` too, a new
    file goes straight into place instead (``Action.placed``: the caller's
    :func:`discard` takes it back; if this call fails, it takes back its own).
    ``disk``: the run's view of ``root`` (one per process, so that a directory is
    listed once per run, not once per task, and as it was before the run)."""
    merges = merges or {}
    disk = OutDir(root) if disk is None else disk
    out: list[Action] = []
    try:
        for f in files:
            target = disk.target(f.path)
            if target is None:
                out.append(Action(Kind.REJECTED, f.path, None,
                                  "path leaves the output directory", _stub(f) if stage else f))
                continue
            kind, text, reason = _decide(f, target, manifest, force, merges.get(f.target), disk)
            out.append(_staged(kind, f, text, reason, target, disk, source, place_new)
                       if stage else Action(kind, f.path, text, reason, f))
    except BaseException:
        discard(out)   # nobody else will hear of these files
        raise
    return out


def removals(planned: list[Action], root: Path, manifest: dict[str, dict], *,
             force: bool = False, owned_targets: Iterable[str] | None = None,
             keep: Iterable[str] = (), source: str = "") -> list[Action]:
    """``planned`` plus removals of schemac's files no longer produced, sorted by path.

    ``owned_targets`` limits removals to files earlier written by these targets
    (a run of ``-t eloquent`` must not delete the docs another run wrote), and
    ``source`` to those of the same config source; ``keep`` lists paths not
    produced this time that must stay all the same (tables not re-emitted by an
    incremental run, tables whose generation failed)."""
    seen = {a.path for a in planned}
    kept = set(keep)
    targets = set(owned_targets) if owned_targets is not None else None
    disk = OutDir(root)
    actions = list(planned)
    for path, entry in sorted(manifest.items()):
        if path in seen or path in kept or entry.get("ownership") == Ownership.CREATE_ONCE.value:
            continue
        if targets is not None and entry.get("target") not in targets:
            continue
        if entry.get("source", "") != source:
            continue
        target = disk.target(path)
        old = read_text(target) if target and disk.exists(path) else None
        if old is None:
            continue
        if force or pristine(old, entry.get("hash")):
            actions.append(Action(Kind.REMOVE, path, reason="no longer generated"))
        else:
            actions.append(Action(Kind.CONFLICT, path, reason="no longer generated, but edited "
                                  "since schemac wrote it; kept (use --force to delete)"))
    return sorted(actions, key=lambda a: a.path)


def plan(files: Iterable[OutputFile], root: Path, force: bool = False,
         merges: dict[str, Callable[[str, str, str], str]] | None = None,
         owned_targets: Iterable[str] | None = None, keep: Iterable[str] = (),
         source: str = "", manifest: dict[str, dict] | None = None) -> list[Action]:
    """One action per output file plus removals (nothing staged: for ``--check``,
    ``--dry-run`` and callers that apply at once)."""
    manifest = read_manifest(root) if manifest is None else manifest
    planned = plan_files(files, root, manifest, force=force, merges=merges)
    return removals(planned, root, manifest, force=force, owned_targets=owned_targets,
                    keep=keep, source=source)


def _sweep_temps(disk: OutDir, actions: list[Action]) -> None:
    """Remove temp files a killed earlier run left in the directories this run writes
    (not this run's staged ones; not in the directories this run made, which held
    nothing before it: listing them cost 0.1 s at 10,000 tables)."""
    ours = {a.staged for a in actions if a.staged}
    made = {m for a in actions for m in a.made}
    folders = {a.path.rpartition("/")[0] for a in actions} | {".schemac"}
    for folder in sorted(folders):
        if folder != ".schemac" and disk.target(f"{folder}/x" if folder else "x") is None:
            continue
        if os.path.abspath(os.path.join(disk.base, folder)) in made:
            continue
        entries = disk.listing(folder)
        for name in [n for n in entries or () if atomic.is_temp(n)]:
            path = os.path.join(disk.base, folder, name)
            if path not in ours:
                atomic.unlink_quietly(path)
            del entries[name]  # type: ignore[index]


def apply(actions: list[Action], root: Path, source: str = "",
          on_file: Callable[[Action], None] | None = None,
          manifest: dict[str, dict] | None = None,
          committed: Mapping[str, str] | None = None) -> dict[str, list[int]]:
    """Carry out a plan (rename staged files, write the others) and update the
    manifest (atomically, last).

    Returns ``[size, mtime_ns]`` of every file written (for the cache, without a
    second stat of each).  ``on_file`` is called after each action (progress,
    events); ``manifest``: the one the caller already read.  If the run is
    interrupted, the staged files not yet renamed are removed.  ``committed``: new
    files already renamed into place while emitting (:func:`commit_new`)."""
    manifest = dict(read_manifest(root) if manifest is None else manifest)
    committed = committed or {}
    disk = OutDir(root)
    if any(a.kind in (Kind.CREATE, Kind.UPDATE) for a in actions):
        _sweep_temps(disk, actions)
    stamps: dict[str, list[int]] = {}
    done = 0
    try:
        for done, a in enumerate(actions, 1):  # ``done``: where to resume discarding
            if a.path in committed and a.stamp is not None:
                stamps[a.path] = list(a.stamp)
                manifest[a.path] = a.entry
            else:
                _apply_one(a, disk, manifest, stamps, source)
            if on_file is not None:
                on_file(a)
    except BaseException:
        discard(actions[done:])
        raise
    write_manifest(root, manifest)
    return stamps


def _apply_one(a: Action, disk: OutDir, manifest: dict, stamps: dict, source: str) -> None:
    target = disk.target(a.path)  # checked again: the disk may have changed
    if target is None:
        if a.staged:
            atomic.unlink_quietly(a.staged)
        return
    digest = a.digest
    if a.kind in (Kind.CREATE, Kind.UPDATE):
        if a.staged is not None and a.stamp is not None:
            atomic.commit(a.staged, target)
            stamps[a.path] = list(a.stamp)
        else:
            blob = (a.text or "").encode("utf-8")
            digest = hashlib.sha256(blob).hexdigest()[:16]
            mode = os.stat(target).st_mode & 0o7777 if disk.exists(a.path) else None
            disk.made(a.path)  # creates its directory when missing
            st = atomic.write_atomic(target, blob, mode)
            stamps[a.path] = [st.st_size, st.st_mtime_ns]
    elif a.kind is Kind.REMOVE:
        atomic.unlink_quietly(target)
        manifest.pop(a.path, None)
    if a.kind in (Kind.CREATE, Kind.UPDATE, Kind.UNCHANGED) and a.file is not None:
        manifest[a.path] = a.entry or manifest_entry(a.file, digest or content_hash(a.text or ""),
                                                     source)


def sweep_temps(root: Path) -> None:
    """Remove every temp file under ``root`` (a run that failed while staging: its
    workers' staged files are not known to the parent)."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in names:
            if atomic.is_temp(name):
                atomic.unlink_quietly(os.path.join(folder, name))


def commit_new(actions: Iterable[Action], disk: OutDir, committed: dict[str, str]) -> None:
    """Rename the staged copy of each new file (CREATE) into place now, noting it in
    ``committed`` (path -> absolute path); a file its worker already placed is
    only noted.

    The parent does this as each task's files arrive, while the workers go on
    emitting, instead of all 77,000 renames after them.  Only new files: a new
    file can be taken back (:func:`discard` deletes it) if the run turns out to
    be blocked, an overwritten one could not; updates wait for :func:`apply`."""
    for a in actions:
        if a.placed is not None:   # put in place by its worker
            committed[a.path] = a.placed
        elif a.kind is Kind.CREATE and a.staged is not None and a.stamp is not None:
            target = disk.target(a.path)
            if target is not None:
                atomic.commit(a.staged, target)
                committed[a.path] = target


def discard(actions: Iterable[Action], committed: Mapping[str, str] | None = None) -> None:
    """Drop the staged temp files of a plan that will not be applied, the new files
    already ``committed`` and the directories made only for them (when still empty)."""
    committed = committed or {}
    made: list[str] = []
    for a in actions:
        if a.path in committed:
            atomic.unlink_quietly(committed[a.path])
        elif a.placed:
            atomic.unlink_quietly(a.placed)
        elif a.staged:
            atomic.unlink_quietly(a.staged)
        made += a.made
    for folder in sorted(set(made), key=len, reverse=True):
        try:
            os.rmdir(folder)
        except OSError:
            pass


def drift(actions: list[Action]) -> list[Action]:
    """What ``--check`` reports: regenerated/merged files missing, stale or extra."""
    out = []
    for a in actions:
        owned = a.file is None or a.file.ownership is not Ownership.CREATE_ONCE
        if a.kind in (Kind.CREATE, Kind.UPDATE, Kind.REMOVE, Kind.CONFLICT) and owned:
            out.append(a)
    return out
