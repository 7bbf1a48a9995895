"""Shared test fixtures: the fixture schemas and the one-golden-per-file harness."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

HERE = Path(__file__).parent
FIXTURE_DIR = HERE / "fixtures"
# Every schema fixture, by file name (the Laravel apps live in a subfolder).
FIXTURES = sorted(p.name for p in FIXTURE_DIR.glob("*.sql"))
LARAVEL_FIXTURES = sorted(p.name for p in (FIXTURE_DIR / "laravel").glob("*.sql"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def fixture_path(name: str) -> Path:
    p = FIXTURE_DIR / name
    return p if p.exists() else FIXTURE_DIR / "laravel" / name


def need_tool(name: str) -> str:
    """Path of an external tool; skip when missing, except in CI where it fails."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI but not installed")
        pytest.skip(f"{name} not installed")
    return path


class TextGolden(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "txt"


@pytest.fixture
def golden(snapshot):
    return snapshot.with_defaults(extension_class=TextGolden)
