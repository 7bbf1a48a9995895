"""How long the plantuml target takes on a big synthetic schema: emit, then render with PlantUML.

    .venv/bin/python bench/bench_diagrams.py                 # 1000 tables, every diagram, SVG
    .venv/bin/python bench/bench_diagrams.py --tables 300 --views-only
    .venv/bin/python bench/bench_diagrams.py --server http://127.0.0.1:18765

Inputs and outputs stay in bench/out/ (gitignored).  Times are wall-clock and
CPU (the machine may be shared); rendering is one ``plantuml`` run for all files.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backends.plantuml import backend
from compiler.frontends import load
from compiler.pipeline import compile_schema
from compiler.render import render_diagrams

OUT = ROOT / "bench" / "out"


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def schema_file(n: int, seed: int) -> Path:
    path = OUT / f"schema-{n}-s{seed}.sqlite.sql"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_schema.py"), str(n),
                        "--dialect", "sqlite", "--seed", str(seed), "-o", str(path)], check=True)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", default="svg", choices=("svg", "png"))
    ap.add_argument("--views-only", action="store_true",
                    help="render only classes/tables views and package splits, not focused models")
    ap.add_argument("--server", help="render through this PlantUML server instead")
    args = ap.parse_args()

    src = schema_file(args.tables, args.seed)
    t0 = time.perf_counter()
    schema = compile_schema(load(src))
    t1 = time.perf_counter()
    files = backend.emit(schema, backend.defaults)
    t2 = time.perf_counter()
    target = OUT / f"diagrams-{args.tables}"
    written = []
    for f in files:
        if args.views_only and "/models/" in f.path:
            continue
        p = target / f.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f.text, encoding="utf-8")
        written.append(p)
    models = sum(1 for f in files if "/models/" in f.path)
    print(f"{args.tables} tables: load+passes {t1 - t0:.2f} s, emit {t2 - t1:.2f} s "
          f"({len(files)} files: {models} focused, {len(files) - models} views; "
          f"{sum(len(f.text) for f in files) / 1e6:.1f} MB)")
    cpu0, t3 = child_cpu(), time.perf_counter()
    problems = render_diagrams(written, args.format, server=args.server, timeout=3600)
    t4 = time.perf_counter()
    biggest = max(written, key=lambda p: p.stat().st_size)
    print(f"render {len(written)} diagrams to {args.format}"
          f"{' via ' + args.server if args.server else ' (one plantuml run)'}: "
          f"{t4 - t3:.1f} s wall, {child_cpu() - cpu0:.1f} s CPU; "
          f"largest input {biggest.relative_to(target)} ({biggest.stat().st_size // 1024} KiB); "
          f"{len(problems)} problems")
    for d in problems[:10]:
        print("  " + d.render())
    print(f"cores: {os.cpu_count()}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
