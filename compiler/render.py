"""Render written ``.puml`` files to SVG or PNG: the local ``plantuml`` in one run, or a server.

Local: every diagram in ONE Java start (``plantuml -tsvg a.puml b.puml ...``),
each image written next to its ``.puml``; PNGs get ``PLANTUML_LIMIT_SIZE=16384``
(PlantUML crops at 4096 px otherwise).  Server: one HTTP request per diagram,
``GET <server>/<fmt>/<encoded>`` (plantuml.com, plantuml-server, ``-picoweb``);
a source too long for a URL goes as ``POST <server>/render`` (picoweb's JSON
API).  A diagram that fails is reported with its file name and PlantUML's
message; the ``.puml`` text stays written either way.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from backends._plantuml_url import encode, strip_header
from ir.diagnostics import Diagnostic, Severity, Span

FORMATS = ("svg", "png")
MAX_URL = 6000          # encoded length above which a request goes by POST
LIMIT_SIZE = "16384"
_ERROR_LINE = re.compile(r"Error line (\d+) in file: (.+)")
# Texts PlantUML draws into the image instead of the diagram.
_FAILED = ("Syntax Error", "An error has occured", "cannot parse result", "Cannot find Graphviz",
           "Dot executable does not exist")


def problem(path: str | Path, message: str, line: int | None = None) -> Diagnostic:
    return Diagnostic("diagram-render", Severity.ERROR, message,
                      Span(str(path), line))


def render_diagrams(paths: Sequence[str | Path], fmt: str, server: str | None = None,
                    timeout: float = 600.0) -> list[Diagnostic]:
    """Render each ``.puml`` to ``<same name>.<fmt>`` beside it; [] when all succeeded."""
    if fmt not in FORMATS:
        return [problem("plantuml", f"unknown image format {fmt!r} (use svg or png)")]
    files = [Path(p) for p in paths]
    if not files:
        return []
    if server:
        return [d for p in files for d in _render_remote(p, fmt, server, timeout)]
    exe = shutil.which("plantuml")
    if exe is None:
        return [problem(files[0], "plantuml is not installed (apt-get install plantuml), "
                        "or give --plantuml-server URL")]
    return render_local(exe, files, fmt, timeout)


def render_local(exe: str, paths: list[Path], fmt: str, timeout: float) -> list[Diagnostic]:
    env = {**os.environ, "PLANTUML_LIMIT_SIZE": LIMIT_SIZE}
    cmd = [exe, f"-t{fmt}", "-charset", "UTF-8", "-nbthread", "auto", *map(str, paths)]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout,
                             check=False)
    except subprocess.TimeoutExpired:
        return [problem(paths[0], f"plantuml did not finish within {timeout:.0f} s "
                        f"({len(paths)} diagrams)")]
    output = run.stdout + "\n" + run.stderr
    failed = {}
    for m in _ERROR_LINE.finditer(output):
        failed[Path(m.group(2).strip()).resolve()] = int(m.group(1))
    out = []
    for p in paths:
        image = p.with_suffix("." + fmt)
        line = failed.get(p.resolve())
        reason = _image_error(image) if image.exists() else "no image was written"
        if line is not None or reason:
            out.append(problem(p, f"PlantUML: {reason or 'syntax error'}", line))
    if run.returncode not in (0, 200) and not out:
        first = next((x for x in output.splitlines() if x.strip()), "")
        out.append(problem(paths[0], f"plantuml exited {run.returncode}: {first}"))
    return out


def svg_texts(svg: str) -> list[str]:
    """The text items of an SVG as PlantUML draws them (entities decoded)."""
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _image_error(image: Path) -> str:
    """PlantUML's message when it drew an error image instead of the diagram ("" if none).
    Only SVG can be read; a failed PNG is caught by the "Error line" output."""
    if image.suffix != ".svg":
        return ""
    return failure(svg_texts(image.read_text(encoding="utf-8", errors="replace")))


def failure(texts: list[str]) -> str:
    """The error PlantUML drew, with its cause when it states one ("dot/GraphViz has
    crashed"); "" when the image is a diagram."""
    for i, t in enumerate(texts):
        if any(marker in t for marker in _FAILED):
            cause = next((x for x in texts[i + 1:i + 12]
                          if re.search(r"crash|Exception|cannot|Syntax", x)), "")
            return t.strip() + (f" ({cause.strip()})" if cause and cause != t else "")
    return ""


def _render_remote(path: Path, fmt: str, server: str, timeout: float) -> list[Diagnostic]:
    source = strip_header(path.read_text(encoding="utf-8"))
    base = server.rstrip("/")
    encoded = encode(source)
    if len(encoded) <= MAX_URL:
        req = urllib.request.Request(f"{base}/{fmt}/{encoded}")
    else:
        body = json.dumps({"source": source, "options": [f"-t{fmt}"]}).encode()
        req = urllib.request.Request(f"{base}/render", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data, headers = resp.read(), resp.headers
    except urllib.error.HTTPError as exc:   # PlantUML answers 400 + an error image
        data, headers = exc.read(), exc.headers
        if not headers.get("X-PlantUML-Diagram-Error"):
            return [problem(path, f"PlantUML server {base}: HTTP {exc.code} {exc.reason}")]
    except (OSError, ValueError) as exc:
        return [problem(path, f"PlantUML server {base} unreachable: {exc}")]
    error = headers.get("X-PlantUML-Diagram-Error")
    if error:
        line = headers.get("X-PlantUML-Diagram-Error-Line")
        return [problem(path, f"PlantUML: {error}",
                        int(line) if line and line.isdigit() else None)]
    if fmt == "svg":
        reason = failure(svg_texts(data.decode("utf-8", "replace")))
        if reason:
            return [problem(path, f"PlantUML: {reason}")]
    path.with_suffix("." + fmt).write_bytes(data)
    return []
