#!/usr/bin/env bash
# THE main command: set up schemac (once), then run it on the bundled example schema.
# Usage: bash scripts/demo.sh
set -euo pipefail
start=$SECONDS
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_venv
cd "$SCHEMAC_ROOT"
example=examples/blog.sqlite.sql

# Today schemac reads a schema and prints its IR; `schemac compile` will take over here.
echo "\$ schemac inspect $example"
"$VENV/bin/schemac" inspect "$example"

# The same schema as a SQLite database file gives the same IR (the other frontend).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$VENV/bin/python" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[2]); c.executescript(open(sys.argv[1]).read()); c.close()' \
    "$example" "$tmp/blog.db"
# (Their diagnostics are shown only on failure: the database read notes sqlite_sequence.)
for pair in "$example:from-ddl" "$tmp/blog.db:from-db"; do
    "$VENV/bin/schemac" inspect --format json "${pair%:*}" >"$tmp/${pair##*:}.json" 2>"$tmp/err" ||
        { cat "$tmp/err" >&2; exit 1; }
done
echo
echo "\$ schemac inspect --format json $example   (first lines of the stable IR form)"
sed -n 1,20p "$tmp/from-ddl.json"
echo "  ..."
# Tables compared, not bytes: the two reads differ only in source path and diagnostics.
"$VENV/bin/python" - "$tmp/from-ddl.json" "$tmp/from-db.json" <<'PY'
import sys
from ir.serialize import from_json
ddl, db = (from_json(open(p, encoding="utf-8").read()) for p in sys.argv[1:])
if ddl.tables == db.tables:
    print(f"the IR read from the DDL file and from the same schema as a SQLite database: "
          f"identical ({len(ddl.tables)} tables)")
else:
    diff = [a.name for a, b in zip(ddl.tables, db.tables) if a != b]
    print("note: the IR from the DDL file and from the SQLite database differ in: "
          + ", ".join(diff or ["the table list"]))
PY
echo "demo.sh: done in $((SECONDS - start))s"
