"""Golden dumps of everything the passes infer, one per fixture schema (reviewed, never
blindly regenerated): relations with provenance, table conventions, column casts/rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.frontends import load
from compiler.options import AnalysisOptions, ThroughSpec
from compiler.pipeline import compile_schema
from ir.check import check_schema
from tests.conftest import FIXTURES, LARAVEL_FIXTURES, fixture_path
from tests.support.dump import dump_inferred

ROOT = Path(__file__).parent.parent
# Facts a schema cannot tell (which parents a morph type column holds, through relations)
# come from config; our own fixture sets them so that those rules show in its golden too.
FIXTURE_OPTIONS = {
    "laravel_conventions.sqlite.sql": AnalysisOptions(
        morph_targets={"comments.commentable": ("posts", "videos"),
                       "taggables.taggable": ("posts", "videos"),
                       "images.imageable": ("users", "shop_products")},
        through=(ThroughSpec("users", "shop_orders", "shop_customers", "shop_orders",
                             second_key="customer_id"),)),
}


@pytest.mark.parametrize("fixture", FIXTURES + LARAVEL_FIXTURES)
def test_inferred_facts_golden(fixture, golden, monkeypatch):
    monkeypatch.chdir(ROOT)  # relative source path, as in the IR goldens
    schema = load(str(fixture_path(fixture).relative_to(ROOT)))
    compiled = compile_schema(schema, options=FIXTURE_OPTIONS.get(fixture))
    assert check_schema(compiled) == []
    assert dump_inferred(compiled, len(schema.diagnostics)) == golden(name=fixture)
