"""Relationship recall against real Laravel apps' hand-written models (answer keys).

Prints recall by relation type; fails if it drops below what we reached.
Two runs per app: the schema alone, and with the config a user of that app
would write for what no schema can tell (which models a morph column holds,
has-many-through chains).
"""

from __future__ import annotations

import pytest

from compiler.frontends import load
from compiler.options import AnalysisOptions, ThroughSpec
from compiler.pipeline import build_passes, compile_schema
from tests.conftest import FIXTURE_DIR
from tests.support.answer_key import load_key, report, score

LARAVEL = FIXTURE_DIR / "laravel"

CONFIG = {
    "filament-demo": AnalysisOptions(
        morph_targets={"comments.commentable": ("blog_posts", "shop_products"),
                       "shop_order_addresses.addressable": ("shop_orders",),
                       "addressables.addressable": ("shop_brands", "shop_customers")},
        through=(ThroughSpec("shop_customers", "payments", "shop_orders", "shop_payments",
                             "shop_customer_id", "order_id"),)),
    "pterodactyl": AnalysisOptions(
        morph_targets={"activity_log_subjects.subject": ("servers", "users")},
        through=(ThroughSpec("locations", "servers", "nodes", "servers"),)),
}

# (schema alone, with config): floors at what the passes reach today.
FLOORS = {"filament-demo": (0.69, 0.96), "pterodactyl": (0.85, 0.90)}


@pytest.mark.parametrize("app", sorted(FLOORS))
def test_relation_recall(app, capsys):
    key = load_key(LARAVEL / f"{app}.relations.json")
    schema = load(str(LARAVEL / f"{app}.sqlite.sql"))
    results = []
    for label, options in (("schema only", AnalysisOptions()), ("with config", CONFIG[app])):
        s = score(compile_schema(schema, build_passes(options)), key)
        recall = sum(s["found"].values()) / sum(s["total"].values())
        results.append(recall)
        with capsys.disabled():
            print(f"\n[{label}] " + report(app, s))
    assert results[0] >= FLOORS[app][0]
    assert results[1] >= FLOORS[app][1]
