"""The pre-commit hooks, end to end with the real ``pre-commit`` tool in a throwaway git repository:
a commit with stale generated code is refused with a readable message, and passes once
regenerated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, need_tool

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = """CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT);
"""

@pytest.fixture(autouse=True)
def _tools():
    """pre-commit (test extra) and git: skip when missing, except in CI, where it fails."""
    need_tool("git")
    if not (BIN / "pre-commit").exists():
        if IN_CI:
            pytest.fail("pre-commit (the test extra) is required in CI but not installed")
        pytest.skip("pre-commit (the test extra) not installed")


def sh(cwd: Path, *args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def project(tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pc-cache"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "SCHEMAC_NO_PROGRESS": "1"}
    env.pop("CI", None)
    repo = tmp_path / "app"
    repo.mkdir()
    (repo / "schema.sql").write_text(SCHEMA)
    (repo / "schemac.toml").write_text('source = "schema.sql"\ntargets = ["eloquent"]\n')
    (repo / ".gitignore").write_text(".schemac/cache*.json\n")
    sh(repo, "git", "init", "-q", "-b", "main", env=env)
    sh(repo, str(BIN / "schemac"), "compile", env=env)
    return repo, env


def _commit_cycle(repo: Path, env: dict) -> tuple[str, str]:
    sh(repo, "git", "add", "-A", env=env)
    sh(repo, "git", "commit", "-q", "-m", "generated", env=env)
    sh(repo, str(BIN / "pre-commit"), "install", env=env)
    with (repo / "schema.sql").open("a") as fh:  # the schema changes, the code does not
        fh.write("CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\n")
    (repo / "schema.sql").write_text((repo / "schema.sql").read_text().replace(
        "title TEXT", "title TEXT, body TEXT"))
    sh(repo, "git", "add", "schema.sql", env=env)
    refused = sh(repo, "git", "commit", "-m", "add tags", env=env, check=False)
    assert refused.returncode != 0, refused.stdout
    sh(repo, str(BIN / "schemac"), "compile", env=env)
    sh(repo, "git", "add", "-A", env=env)
    accepted = sh(repo, "git", "commit", "-m", "add tags", env=env, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    return refused.stdout + refused.stderr, accepted.stdout + accepted.stderr


def test_local_hook_refuses_stale_code_then_accepts(project):
    repo, env = project
    (repo / ".pre-commit-config.yaml").write_text(f"""\
repos:
- repo: local
  hooks:
  - id: schemac-check
    name: schemac generated code is up to date
    entry: {BIN / 'schemac'} compile --check
    language: system
    pass_filenames: false
    always_run: true
""")
    refused, accepted = _commit_cycle(repo, env)
    assert "schemac generated code is up to date" in refused and "Failed" in refused
    assert "stale     app/Models/Base/Post.php" in refused.replace("./", "")
    assert "missing   app/Models/Base/Tag.php" in refused.replace("./", "")
    assert "run `schemac compile` to regenerate" in refused
    assert "Passed" in accepted


@pytest.mark.slow
def test_try_repo_builds_the_hook_from_this_repository(project):
    """pre-commit builds schemac into its own env from this repository (pip, PyPI)."""
    repo, env = project
    sh(repo, "git", "add", "-A", env=env)
    sh(repo, "git", "commit", "-q", "-m", "generated", env=env)
    ok = sh(repo, str(BIN / "pre-commit"), "try-repo", str(REPO), "schemac-check",
            "--all-files", env=env, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (repo / "schema.sql").write_text(SCHEMA.replace("title TEXT", "title TEXT, body TEXT"))
    stale = sh(repo, str(BIN / "pre-commit"), "try-repo", str(REPO), "schemac-check",
               "--all-files", env=env, check=False)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "stale" in stale.stdout and "Post.php" in stale.stdout
