#!/usr/bin/env bash
# Prepares a Docker engine and the test images for the integration tests (Testcontainers).
#
# Usage:  eval "$(bash tests/containers/prepare-docker.sh)"          # exports into this shell
#     or: bash tests/containers/prepare-docker.sh ENV_FILE && . ENV_FILE
#
# Interface:
#   stdout   only `export KEY=VALUE` lines (nothing else), always:
#              DOCKER_API_VERSION=1.41
#              TESTCONTAINERS_RYUK_DISABLED=true
#              TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
#              SIP_TEST_POSTGRES_IMAGE=local/postgres:15     (unset when official images are used)
#              SIP_TEST_RABBITMQ_IMAGE=local/rabbitmq:3.10   (unset when official images are used)
#   $1       optional path of an env file; the same `export` lines are written there too
#            (sourceable by bash/sh).
#   stderr   progress lines ("prepare-docker: ...") and, on failure, what is missing.
#   exit     0 when the engine answers and the images are there; non-zero otherwise.
#
# Steps (each skipped when already done, so a warm run takes about a second):
#   1. apt-get install docker.io debootstrap docker-compose when a command is missing (retry once);
#   2. start dockerd when `docker version` fails: data, exec-root, pidfile and log under
#      ${SIP_CACHE:-/var/cache/sip-platform}/docker (pidfile: .../docker/dockerd.pid,
#      log: .../docker/dockerd.log), published ports default to 127.0.0.1 (--ip);
#      the engine is left running for later runs — stop it with: kill "$(cat .../docker/dockerd.pid)";
#   3. build local/debian:bookworm with debootstrap from the apt mirror, then local/postgres:15 and
#      local/rabbitmq:3.10 from tests/containers/{postgres,rabbitmq} (DOCKER_BUILDKIT=0).
#      Skipped when an engine was already running, the local images are absent and a registry
#      answers (`docker search`): fixtures then use the official images.
#      SIP_TEST_FORCE_LOCAL_IMAGES=1 always builds/uses the local images.
#   4. remove leftover containers labelled org.testcontainers=true (Ryuk is off): stopped ones, and
#      running ones older than SIP_TEST_LEFTOVER_MINUTES (default 30) — younger running ones may
#      belong to a parallel test run on the same engine and are kept.
set -euo pipefail

log() { echo "prepare-docker: $*" >&2; }
die() { echo "prepare-docker: ERROR: $*" >&2; exit 1; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${SIP_CACHE:-/var/cache/sip-platform}
D=$CACHE/docker
ENV_FILE=${1:-}
BASE_IMAGE=local/debian:bookworm
PG_IMAGE=local/postgres:15
RABBIT_IMAGE=local/rabbitmq:3.10
export DOCKER_API_VERSION=1.41
export DOCKER_BUILDKIT=0
start=$(date +%s)

mkdir -p "$D" || die "cannot create $D (set SIP_CACHE to a writable folder)"

# One run at a time (parallel test runs share the engine and the images).
exec 9>"$D/prepare.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 300 9 || die "another prepare-docker.sh run holds $D/prepare.lock"
fi

# 1. packages ---------------------------------------------------------------------------------
missing=()
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  [ "$(id -u)" = 0 ] || die "missing packages: $pkgs; install them as root (apt-get install $pkgs)"
  command -v apt-get >/dev/null 2>&1 || die "missing: $pkgs, and there is no apt-get to install them"
  log "installing $pkgs"
  # shellcheck disable=SC2086
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >&2; then
    log "apt-get install failed; apt-get update and one retry"
    apt-get update >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >&2 \
      || die "could not install $pkgs with apt-get"
  fi
fi

# 2. engine -----------------------------------------------------------------------------------
engine_was_running=1
if ! docker version >/dev/null 2>&1; then
  engine_was_running=0
  [ "$(id -u)" = 0 ] || die "no Docker engine answers and starting one needs root"
  pid=$(cat "$D/dockerd.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "dockerd (pid $pid) is running but not answering yet; waiting"
  else
    log "starting dockerd (data in $D, log $D/dockerd.log)"
    mkdir -p "$D/data" "$D/exec"
    setsid nohup dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/dockerd.pid" \
      --storage-driver overlay2 --ip 127.0.0.1 >"$D/dockerd.log" 2>&1 </dev/null 9>&- &
  fi
  for _ in $(seq 1 120); do
    docker version >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker version >/dev/null 2>&1 \
    || die "the Docker engine did not answer within 60 s; see $D/dockerd.log: $(tail -n 5 "$D/dockerd.log" 2>/dev/null | tr '\n' ' ')"
  log "dockerd answers (pid $(cat "$D/dockerd.pid" 2>/dev/null || echo '?'), pidfile $D/dockerd.pid)"
fi

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# 3. images -----------------------------------------------------------------------------------
use_local=1
if [ "${SIP_TEST_FORCE_LOCAL_IMAGES:-}" != 1 ] && [ "$engine_was_running" = 1 ] \
   && ! { have_image "$PG_IMAGE" && have_image "$RABBIT_IMAGE"; }; then
  if timeout 10 docker search --limit 1 postgres >/dev/null 2>&1; then
    log "a Docker engine was running and a registry answers: using the official images"
    use_local=0
  fi
fi

build_base() {
  local mirror rootfs
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing (apt-get install debootstrap)"
  mirror=${SIP_DEBIAN_MIRROR:-}
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if($i ~ /^https?:/){print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$mirror" ] || die "cannot find the Debian mirror in /etc/apt (set SIP_DEBIAN_MIRROR)"
  rootfs=$D/rootfs
  for try in 1 2; do
    rm -rf "$rootfs"
    log "debootstrap bookworm from $mirror (try $try)"
    if debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$D/debootstrap.log" 2>&1; then
      break
    fi
    [ "$try" = 2 ] && die "debootstrap failed; see $D/debootstrap.log: $(tail -n 3 "$D/debootstrap.log" | tr '\n' ' ')"
  done
  # The mirror may be a dated snapshot: do as the host's apt does and skip the Valid-Until check.
  printf 'Acquire::Check-Valid-Until "false";\nAcquire::Retries "3";\n' \
    > "$rootfs/etc/apt/apt.conf.d/99sip-mirror"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  log "importing $BASE_IMAGE"
  tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

build_image() { # tag dir
  local try
  for try in 1 2; do
    log "building $1 from $2 (try $try; log $D/build-${1//[:\/]/_}.log)"
    if docker build --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$1" "$2" >"$D/build-${1//[:\/]/_}.log" 2>&1; then
      return 0
    fi
  done
  die "building $1 failed; see $D/build-${1//[:\/]/_}.log: $(tail -n 5 "$D/build-${1//[:\/]/_}.log" | tr '\n' ' ')"
}

if [ "$use_local" = 1 ]; then
  if ! have_image "$PG_IMAGE" || ! have_image "$RABBIT_IMAGE"; then
    have_image "$BASE_IMAGE" || build_base
    have_image "$PG_IMAGE" || build_image "$PG_IMAGE" "$HERE/postgres"
    have_image "$RABBIT_IMAGE" || build_image "$RABBIT_IMAGE" "$HERE/rabbitmq"
  fi
fi

# 4. leftovers --------------------------------------------------------------------------------
# Ryuk is off, so containers of crashed runs stay. Remove every stopped one, and running ones older
# than SIP_TEST_LEFTOVER_MINUTES (default 30): a younger running one may belong to a test run going
# on in parallel on the same engine, and is kept.
max_age=$(( ${SIP_TEST_LEFTOVER_MINUTES:-30} * 60 ))
now=$(date +%s)
remove=() kept=0
for id in $(docker ps -aq --filter label=org.testcontainers=true); do
  read -r state created < <(docker inspect -f '{{.State.Status}} {{.Created}}' "$id" 2>/dev/null || echo "gone -")
  [ "$state" = gone ] && continue
  age=$(( now - $(date -d "$created" +%s 2>/dev/null || echo 0) ))
  if [ "$state" != running ] || [ "$age" -ge "$max_age" ]; then
    remove+=("$id")
  else
    kept=$((kept + 1))
  fi
done
if [ ${#remove[@]} -gt 0 ]; then
  log "removing ${#remove[@]} leftover Testcontainers container(s)"
  docker rm -f -v "${remove[@]}" >/dev/null 2>&1 || true
fi
[ "$kept" = 0 ] || log "kept $kept running Testcontainers container(s) younger than $((max_age / 60)) min (another test run?)"

# 5. the interface ----------------------------------------------------------------------------
# Testcontainers believes it runs inside a container here and would use the bridge gateway;
# published ports are bound to 127.0.0.1 only, so point it there.
exports="export DOCKER_API_VERSION=1.41
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1"
if [ "$use_local" = 1 ]; then
  exports="$exports
export SIP_TEST_POSTGRES_IMAGE=$PG_IMAGE
export SIP_TEST_RABBITMQ_IMAGE=$RABBIT_IMAGE"
fi
if [ -n "$ENV_FILE" ]; then
  mkdir -p "$(dirname "$ENV_FILE")"
  printf '%s\n' "$exports" > "$ENV_FILE"
fi
printf '%s\n' "$exports"
log "ready in $(( $(date +%s) - start )) s"
