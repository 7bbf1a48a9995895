"""Time `schemac inspect` end to end and by phase on synthetic schemas; print a Markdown table.

Every measurement runs in a fresh child process and its peak memory is that child's own
``ru_maxrss`` (``os.wait4``), so one run never inflates the next.  Two kinds of child:

- e2e: ``.venv/bin/schemac inspect --format json SRC > /dev/null`` (when the CLI exists);
- phases: this script in ``--worker`` mode, timing import, ``compiler.frontends.load`` and
  ``ir.serialize.to_json`` (and the analysis passes with ``--passes``) with perf_counter.

    .venv/bin/python bench/bench_inspect.py                       # N = 100, 1000, 10000
    .venv/bin/python bench/bench_inspect.py --sizes 100,1000 --repeat 3
    .venv/bin/python bench/bench_inspect.py --profile mysql:10000  # cProfile of one load
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)  # bench/ holds scripts, not a package
import gen_schema

PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
SCHEMAC = os.path.join(ROOT, ".venv", "bin", "schemac")
SOURCES = ("sqlite-db", "sqlite", "mysql", "postgres")
PHASES = ("import", "load", "passes", "json")
# Targets from the project brief, for the 10,000-table inputs.
TARGET_S = {"sqlite-db": 2.0, "sqlite": 8.0, "mysql": 8.0, "postgres": 8.0}
TARGET_MB = 400


def run_child(argv: list[str], stdout: int | None = subprocess.DEVNULL) -> dict:
    """Run one child; its wall time, own peak RSS (MB), exit code and stderr tail."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out if stdout is None else stdout, stderr=err,
                                cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        out.seek(0)
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                "rss_mb": usage.ru_maxrss / 1024, "code": proc.returncode,
                "stderr": err.read().decode(errors="replace")[-400:],
                "stdout": out.read().decode(errors="replace")}


def worker(src: str, passes: bool) -> None:
    """Child mode: time each phase of one inspect in this fresh process, print JSON.

    Phases are CPU seconds (process_time): on a machine shared with other jobs wall time
    measures the neighbours too, CPU time only us (the work is single-threaded)."""
    t = {"start": time.process_time()}
    from compiler.frontends import load
    from ir.serialize import to_json
    t["import"] = time.process_time()
    schema = load(src)
    t["load"] = time.process_time()
    if passes:
        from compiler.pipeline import compile_schema
        schema = compile_schema(schema)
    t["passes"] = time.process_time()
    text = to_json(schema)
    t["json"] = time.process_time()
    result = {k: t[k] - t[p] for p, k in itertools.pairwise(t)}
    result.update(tables=len(schema.tables), diagnostics=len(schema.diagnostics),
                  json_bytes=len(text))
    print(json.dumps(result))


def measure(src: str, repeat: int, passes: bool) -> dict:
    """Best-of-``repeat`` times (min is the least noisy on a shared machine), worst RSS."""
    row: dict = {"e2e": None, "e2e_cpu": None, "e2e_mb": None, "code": None}
    if os.path.exists(SCHEMAC):
        runs = [run_child([SCHEMAC, "inspect", "--format", "json", src]) for _ in range(repeat)]
        row.update(e2e=min(r["wall"] for r in runs), e2e_cpu=min(r["cpu"] for r in runs),
                   e2e_mb=max(r["rss_mb"] for r in runs),
                   code=runs[-1]["code"], e2e_err=runs[-1]["stderr"])
    argv = [PYTHON, os.path.abspath(__file__), "--worker", src] + (["--passes"] if passes else [])
    runs = [run_child(argv, stdout=None) for _ in range(repeat)]
    bad = [r for r in runs if r["code"] != 0]
    if bad:
        row["error"] = bad[0]["stderr"].strip().splitlines()[-1:] or ["exit " + str(bad[0]["code"])]
        return row
    phases = [json.loads(r["stdout"]) for r in runs]
    for key in PHASES:
        row[key] = min(p[key] for p in phases)
    row.update(phase_mb=max(r["rss_mb"] for r in runs), tables=phases[0]["tables"],
               diagnostics=phases[0]["diagnostics"], json_bytes=phases[0]["json_bytes"])
    return row


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def table(results: dict, passes: bool) -> str:
    head = ("| source | N | input MB | e2e wall s | e2e CPU s | exit | import | load |"
            + (" passes |" if passes else "") + " json | tables | diags |"
            " e2e RSS MB | phases RSS MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for (kind, n), r in results.items():
        if "error" in r:
            lines.append(f"| {kind} | {n} | {r['size']:.2f} | {_fmt(r['e2e'])} | "
                         f"{_fmt(r['e2e_cpu'])} | {r['code']} | "
                         f"error: {' '.join(r['error'])[:120]} |")
            continue
        cells = [kind, str(n), f"{r['size']:.2f}", _fmt(r["e2e"]), _fmt(r["e2e_cpu"]),
                 str(r["code"]),
                 _fmt(r["import"]), _fmt(r["load"])] + ([_fmt(r["passes"])] if passes else []) + [
            _fmt(r["json"]), str(r["tables"]), str(r["diagnostics"]), _fmt(r["e2e_mb"], 0),
            _fmt(r["phase_mb"], 0)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def growth(results: dict, small: int, big: int) -> str:
    """CPU-time ratio of the big run to the small one: linear growth is about big/small."""
    lines = [f"| source | e2e CPU x | load x | json x | RSS x | (linear = {big // small}x) |",
             "|---|---|---|---|---|---|"]
    for kind in SOURCES:
        a, b = results.get((kind, small)), results.get((kind, big))
        if not a or not b or "error" in a or "error" in b:
            continue
        e2e = b["e2e_cpu"] / a["e2e_cpu"] if a["e2e_cpu"] and b["e2e_cpu"] else None
        lines.append(f"| {kind} | {_fmt(e2e, 1)} | {_fmt(b['load'] / a['load'], 1)} | "
                     f"{_fmt(b['json'] / a['json'], 1)} | "
                     f"{_fmt(b['phase_mb'] / a['phase_mb'], 1)} | |")
    return "\n".join(lines)


def verdicts(results: dict, n: int) -> list[str]:
    out = []
    for kind in SOURCES:
        r = results.get((kind, n))
        if not r or "error" in r:
            continue
        # CPU time: what wall time is on an idle machine (one thread), not skewed by neighbours.
        secs = r["e2e_cpu"] if r["e2e_cpu"] is not None else r["import"] + r["load"] + r["json"]
        mb = max(x for x in (r["e2e_mb"], r["phase_mb"]) if x is not None)
        ok = secs < TARGET_S[kind] and mb < TARGET_MB
        out.append(f"- {kind} x {n}: {secs:.2f} CPU s (target < {TARGET_S[kind]:g} s), peak "
                   f"{mb:.0f} MB (target < {TARGET_MB} MB): {'MET' if ok else 'MISSED'}")
    return out


def environment() -> str:
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"
    return (f"{time.strftime('%Y-%m-%d')}, {platform.machine()} {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, sqlglot {ver('sqlglot')}, "
            f"sqlglotc {ver('sqlglotc')}")


def profile(spec: str, seed: int, top: int) -> None:
    """cProfile one in-process load + to_json of ``KIND:N`` and print the top entries."""
    import cProfile
    import pstats

    kind, n = spec.split(":")
    src = gen_schema.cached(int(n), seed)[kind]
    sys.path.insert(0, ROOT)
    from compiler.frontends import load
    from ir.serialize import to_json
    prof = cProfile.Profile()
    prof.enable()
    to_json(load(os.path.relpath(src, ROOT)))
    prof.disable()
    stats = pstats.Stats(prof, stream=sys.stdout).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--sources", default=",".join(SOURCES))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--passes", action="store_true", help="also time the analysis passes")
    ap.add_argument("--profile", metavar="KIND:N", help="cProfile one load instead")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--worker", metavar="SRC", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        sys.path.insert(0, ROOT)
        worker(args.worker, args.passes)
        return 0
    if args.profile:
        profile(args.profile, args.seed, args.top)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict = {}
    for n in sizes:
        paths = gen_schema.cached(n, args.seed)  # generated once, then reused from bench/out/
        for kind in args.sources.split(","):
            src = os.path.relpath(paths[kind], ROOT)
            row = measure(src, args.repeat, args.passes)
            row["size"] = os.path.getsize(paths[kind]) / 1e6
            results[(kind, n)] = row
            print(f"  measured {kind} x {n}", file=sys.stderr, flush=True)
    print(f"{environment()}; best of {args.repeat}; load average {os.getloadavg()[0]:.1f} "
          "at the end; phases (import, load, json) in CPU seconds\n")
    print(table(results, args.passes))
    big = [n for n in sizes if n >= 10 * min(sizes)]
    if big:
        small = max(n for n in sizes if n * 10 <= max(sizes))
        print(f"\nGrowth, N = {small} -> {max(sizes)}:\n")
        print(growth(results, small, max(sizes)))
    print("\n" + "\n".join(verdicts(results, max(sizes))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
