#!/usr/bin/env bash
# Write the locks from pyproject.toml's dependency groups: every package pinned, with its hashes.
#
#   scripts/lock.sh [UV] [OUTDIR]     (`make lock` runs it with the .venv's uv and OUTDIR=.)
#
# OUTDIR/requirements.txt         groups book + lite + tests + lock (the .venv: `make` syncs it exactly)
# OUTDIR/binder/requirements.txt  group binder                 (what mybinder.org installs)
#
# A lock already in OUTDIR is read first, as uv's preferences: re-locking keeps every version that
# still satisfies pyproject.toml, and changes only what a changed pin requires (`uv pip compile`
# with --upgrade-package NAME in LOCK_OPTIONS below moves one package on purpose). Its hashes are
# dropped first (uv would keep them as they are): every hash is PyPI's, fetched anew.
# Only PyPI is asked (no pip.conf or uv.toml of the machine), for Linux x86-64 and the Python of
# binder/runtime.txt, so the same pyproject.toml gives the same locks on any machine.
# tests/test_lock.py runs this into a copy of the locks and fails when the output differs.
set -euo pipefail
cd "$(dirname "$0")/.."

UV=${1:-.venv/bin/uv}
OUT=${2:-.}
# 3.11.7: the Python these locks are tested with (some pins, e.g. soupsieve 4.1, need >= 3.11.5).
LOCK_OPTIONS=(--generate-hashes --no-config --index-url https://pypi.org/simple
              --python-version 3.11.7 --python-platform x86_64-manylinux_2_28
              --custom-compile-command "make lock" --quiet)

mkdir -p "$OUT/binder"
for lock in "$OUT/requirements.txt" "$OUT/binder/requirements.txt"; do
    if [ -f "$lock" ]; then sed -i -e '/^ *--hash=/d' -e 's/ *\\$//' "$lock"; fi
done
"$UV" pip compile pyproject.toml "${LOCK_OPTIONS[@]}" --group book --group lite --group tests --group lock \
    -o "$OUT/requirements.txt"
"$UV" pip compile pyproject.toml "${LOCK_OPTIONS[@]}" --group binder \
    -o "$OUT/binder/requirements.txt"
