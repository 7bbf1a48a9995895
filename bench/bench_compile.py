"""Benchmark ``schemac compile`` (every installed target) against sqlacodegen on generated schemas.

For each size and source (a SQLite file, SQLite DDL) it measures, each in a fresh child process:

- ``full``: ``schemac compile SRC -t ... -o OUT`` into an empty OUT (wall time, peak RSS of the
  largest process: the schemac process or one of its workers);
- ``nochange``: the same command again (the cache says nothing changed);
- ``phases``: one in-process run timing load, passes, each target's emit and plan+write
  (CPU seconds), which says which phase dominates;
- ``sqlacodegen``: ``sqlacodegen sqlite:///SRC`` (SQLite sources only), from the venv given
  by ``--sqlacodegen`` (not a project dependency: ``python -m venv /tmp/sqlacg &&
  /tmp/sqlacg/bin/pip install sqlacodegen``).

    .venv/bin/python bench/bench_compile.py --sizes 100,1000 --sources sqlite-db,sqlite
    .venv/bin/python bench/bench_compile.py --worker bench/out/schema-1000-s0.sqlite eloquent,...
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENV = Path(sys.executable).parent


def ensure_input(n: int, source: str, seed: int = 0) -> Path:
    ddl = OUT / f"schema-{n}-s{seed}.sqlite.sql"
    db = OUT / f"schema-{n}-s{seed}.sqlite"
    want = db if source == "sqlite-db" else ddl
    if not want.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        args = [sys.executable, str(ROOT / "bench/gen_schema.py"), str(n), "--seed", str(seed),
                "-o", str(ddl)] + (["--sqlite-db", str(db)] if source == "sqlite-db" else [])
        subprocess.run(args, check=True)
    return want


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Wall seconds, CPU seconds and peak RSS (MB) of the largest process of ``cmd``
    (``wait4`` reports the child's own peak or its largest waited-for descendant's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    return {"wall": round(wall, 2), "cpu": round(usage.ru_utime + usage.ru_stime, 2),
            "rss_mb": round(usage.ru_maxrss / 1024), "exit": proc.returncode,
            "stdout": stdout[-400:], "stderr": stderr[-400:]}


def loadable_targets() -> list[str]:
    from backends import registry
    ok = []
    for name, ep in registry().items():
        try:
            ep.load()
            ok.append(name)
        except Exception:  # noqa: BLE001, S112 -- a target still being written
            continue
    return ok


def worker(src: str, targets: list[str]) -> None:
    """Time the phases of one run in this process (CPU seconds), print JSON."""
    from backends import get_backend
    from compiler import writer
    from compiler.frontends import load
    from compiler.pipeline import build_passes
    times: dict[str, float] = {}
    t = time.process_time()
    schema = load(src, None)
    times["load"] = time.process_time() - t
    t = time.process_time()
    for p in build_passes():
        schema = p(schema)
    times["passes"] = time.process_time() - t
    files = []
    for name in targets:
        b = get_backend(name)
        t = time.process_time()
        files += b.emit(schema, dict(b.defaults))
        times[f"emit:{name}"] = time.process_time() - t
    with tempfile.TemporaryDirectory() as out:
        t = time.process_time()
        writer.apply(writer.plan(files, Path(out)), Path(out))
        times["write"] = time.process_time() - t
    print(json.dumps({k: round(v, 2) for k, v in times.items()} | {"files": len(files)}))


def bench_one(n: int, source: str, targets: list[str], sqlacg: Path | None,
              jobs: int | None) -> dict:
    src = ensure_input(n, source)
    row: dict = {"source": source, "n": n}
    # Under bench/out: on this machine creating a file in /tmp costs 0.26 ms, here 0.014 ms.
    out = Path(tempfile.mkdtemp(prefix=f"compile-{n}-", dir=OUT))
    env = {**os.environ, "SCHEMAC_NO_PROGRESS": "1"}
    cmd = [str(VENV / "schemac"), "compile", str(src), "-o", str(out), "-q"]
    cmd += [a for t in targets for a in ("-t", t)] + (["-j", str(jobs)] if jobs else [])
    row["full"] = measure(cmd, env)
    row["files"] = sum(1 for p in out.rglob("*") if p.is_file() and ".schemac" not in p.parts)
    row["nochange"] = measure(cmd, env)
    shutil.rmtree(out, ignore_errors=True)
    phases = measure([sys.executable, __file__, "--worker", str(src), ",".join(targets)])
    try:
        row["phases"] = json.loads(phases["stdout"].strip().splitlines()[-1])
    except (ValueError, IndexError):
        row["phases"] = {"error": phases["stderr"]}
    if sqlacg is not None and source == "sqlite-db":
        with tempfile.NamedTemporaryFile(suffix=".py") as fh:
            row["sqlacodegen"] = measure([str(sqlacg / "bin/sqlacodegen"), f"sqlite:///{src}",
                                          "--outfile", fh.name])
    return row


def table(rows: list[dict]) -> str:
    head = ("| source | N | files | full wall s | full CPU s | full RSS MB | no-change wall s "
            "| sqlacodegen wall s | sqlacodegen RSS MB | per-table speedup | dominant phase |")
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        sq = r.get("sqlacodegen")
        ph = {k: v for k, v in r["phases"].items() if k != "files" and isinstance(v, float)}
        dom = max(ph, key=ph.get) if ph else "?"
        speed = f"{sq['wall'] / r['full']['wall']:.1f}x" if sq and sq["exit"] == 0 else "-"
        lines.append(f"| {r['source']} | {r['n']} | {r['files']} | {r['full']['wall']} | "
                     f"{r['full']['cpu']} | {r['full']['rss_mb']} | {r['nochange']['wall']} | "
                     f"{sq['wall'] if sq else '-'} | {sq['rss_mb'] if sq else '-'} | {speed} | "
                     f"{dom} ({ph.get(dom, '?')} s) |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--sources", default="sqlite-db,sqlite")
    ap.add_argument("--targets", default="", help="comma-separated (default: every loadable)")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--sqlacodegen", type=Path, default=Path("/tmp/sqlacg"),
                    help="venv holding sqlacodegen (skipped if missing)")
    ap.add_argument("--json", type=Path, default=None, help="also write raw results here")
    ap.add_argument("--worker", nargs=2, metavar=("SRC", "TARGETS"))
    args = ap.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1].split(","))
        return
    targets = args.targets.split(",") if args.targets else loadable_targets()
    sqlacg = args.sqlacodegen if (args.sqlacodegen / "bin/sqlacodegen").exists() else None
    print(f"targets: {', '.join(targets)}; sqlacodegen: {sqlacg or 'not installed'}",
          file=sys.stderr)
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        for source in args.sources.split(","):
            rows.append(bench_one(n, source, targets, sqlacg, args.jobs))
            print(json.dumps(rows[-1]), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print(table(rows))


if __name__ == "__main__":
    main()
