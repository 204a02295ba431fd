#!/usr/bin/env bash
# Set up everything optscenes needs on a Debian/Ubuntu machine, then do one thing:
#
#   bash scripts/setup.sh demo        render the seed animation (Adam, 400x300 GIF) and print its path
#   bash scripts/setup.sh test [ARGS] type-check the core, run the test suite (ARGS go to pytest)
#   bash scripts/setup.sh bench [ARGS] time renders against a naive manim scene and matplotlib
#   bash scripts/setup.sh install     only set up
#
# Idempotent: apt runs only when the cairo/pango headers are missing, pip only when
# pyproject.toml or constraints.txt changed since the last install into .venv.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=${OPTSCENES_VENV:-$ROOT/.venv}
PYTHON=${PYTHON:-python3}
APT_PACKAGES=(libcairo2-dev libpango1.0-dev pkg-config)

say() { printf '\033[1m[optscenes]\033[0m %s\n' "$*"; }

system_packages() {
    # pycairo and manimpango have no Linux wheels: they compile against these headers.
    if command -v pkg-config >/dev/null && pkg-config --exists cairo pangocairo; then
        return
    fi
    say "installing ${APT_PACKAGES[*]} with apt (pycairo and manimpango compile against them)"
    apt_install "${APT_PACKAGES[@]}"
}

apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { say "need root or sudo to install $*"; exit 1; }
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}

slide_test_browser() {
    # The slide tests open the HTML deck in headless Chromium (apt, about 2 minutes the first time), with
    # the reveal.js the deck names taken from the npm registry: the deck's CDN is out of reach in CI.
    # Only what is missing: a machine's own Node.js (NodeSource's, say) brings npm and conflicts with Debian's.
    local missing=() version dir tmp
    command -v chromium >/dev/null || missing+=(chromium)
    command -v npm >/dev/null || missing+=(npm)
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]} with apt (the slide tests open the HTML deck in chromium)"
        apt_install "${missing[@]}"
    fi
    version=$("$VENV/bin/python" -c 'from manim_slides.convert import RevealJS; print(RevealJS.model_fields["reveal_version"].default)')
    dir="$VENV/share/reveal.js-$version"
    [ -f "$dir/dist/reveal.js" ] && return
    say "fetching reveal.js $version from the npm registry into $dir"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "reveal.js@$version" >/dev/null && tar xzf reveal.js-*.tgz)
    mkdir -p "$VENV/share" && rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
}

python_packages() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
            || { say "Python 3.10 or newer is needed ($PYTHON is $("$PYTHON" --version))"; exit 1; }
        say "creating $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.optscenes-install" want
    want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$VENV/bin/python" -c 'import optscenes, manim, torch' 2>/dev/null; then
        say "python packages up to date in $VENV"
        return
    fi
    say "installing pinned python packages into $VENV (first time: about a minute)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c constraints.txt -e ".[test]"
    echo "$want" > "$stamp"
}

main() {
    local action=${1:-install}
    shift || true
    case "$action" in
        install|demo|test|bench) ;;
        *) say "unknown action '$action': use demo, test, bench or install"; exit 2 ;;
    esac
    system_packages
    python_packages
    case "$action" in
        demo)
            say "rendering AdamDescent as the blog post's GIF (400x300, 15 fps)"
            "$VENV/bin/manim" render -r 400,300 --fps 15 --format gif -o adam_descent --progress_bar none \
                --media_dir "$ROOT/media" scenes/adam.py AdamDescent >/dev/null
            local gif="$ROOT/media/videos/adam/300p15/adam_descent.gif"
            [ -f "$gif" ] || { say "the render did not produce $gif"; exit 1; }
            say "seed animation: $gif"
            ;;
        test)
            slide_test_browser
            say "type-checking the core package (mypy, settings in pyproject.toml)"
            "$VENV/bin/python" -m mypy
            "$VENV/bin/python" -m pytest "$@"
            ;;
        bench)
            if ! "$VENV/bin/python" -c 'import matplotlib' 2>/dev/null; then
                say "installing the benchmark's matplotlib"
                "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test,bench]"
            fi
            "$VENV/bin/python" benchmarks/run.py "$@"
            ;;
        install)
            say "ready: $VENV/bin/manim -pql scenes/adam.py AdamDescent --format gif"
            ;;
    esac
}

main "$@"
