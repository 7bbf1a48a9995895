#!/usr/bin/env bash
# THE main command: set up schemac (once), then compile the bundled example schema
# into every target and show what came out.
# Usage: bash scripts/demo.sh [OUT]   (default OUT: out/blog, which git ignores)
set -euo pipefail
start=$SECONDS
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_venv
cd "$SCHEMAC_ROOT"
example=examples/blog.sqlite.sql
out="${1:-out/blog}"
targets=(-t eloquent -t factories -t form-requests -t laravel-migrations -t sqlalchemy
         -t plantuml -t docs)

echo "\$ schemac compile $example ${targets[*]} -o $out"
"$VENV/bin/schemac" compile "$example" "${targets[@]}" -o "$out"
echo
echo "Generated files:"
(cd "$out" && find . -type f ! -path './.schemac/*' | sed 's|^\./|  |' | sort)
echo
echo "\$ cat $out/app/Models/Base/Post.php   (the regenerated base model; app/Models/Post.php is yours)"
sed -n '1,200p' "$out/app/Models/Base/Post.php"
echo
echo "\$ schemac explain $example comments   (what was inferred, and why)"
"$VENV/bin/schemac" explain "$example" comments
echo
echo "\$ schemac compile ... --check   (what a pre-commit hook or CI job runs: nothing is stale)"
"$VENV/bin/schemac" compile "$example" "${targets[@]}" -o "$out" --check
echo "demo.sh: done in $((SECONDS - start))s; the output is in $out"
