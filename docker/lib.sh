# Shared by the scripts under docker/: sourced, not run. Picks the Docker client and the Compose
# command once, so every script builds and runs the same way on Debian's docker.io 20.10 with
# docker-compose 1.29 and on a current Docker with the compose plugin.
#
# After sourcing: ROOT (the repository), DOCKER (a docker client that builds with BuildKit),
# COMPOSE (the compose command), the STANDIN_* image names, and the functions log, die,
# compose, java_home, image_exists, require_engine.

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
readonly ROOT

# Names of the stand-in images that docker/standins/build.sh makes for the public ones.
readonly STANDIN_RUNTIME_IMAGE=pipeline-standin/eclipse-temurin:25-jre
readonly STANDIN_BUILD_IMAGE=pipeline-standin/maven:3.9-eclipse-temurin-25
readonly STANDIN_KAFKA_IMAGE=pipeline-standin/kafka:4.4.0

log() {
  echo "[$(date +%H:%M:%S)] ${LOG_NAME:-docker}: $*" >&2
}

die() {
  echo "${LOG_NAME:-docker}: $*" >&2
  exit 1
}

# A client that builds with BuildKit: one with the buildx plugin, else Debian's /usr/bin/docker
# (20.10, BuildKit built in). A newer client without buildx, found first on PATH, cannot
# build with BuildKit. DOCKER may be set by the caller.
pick_docker() {
  if [[ -n "${DOCKER:-}" ]]; then
    return
  fi
  if docker buildx version >/dev/null 2>&1; then
    DOCKER=$(command -v docker)
  elif [[ -x /usr/bin/docker ]]; then
    DOCKER=/usr/bin/docker
  else
    DOCKER=$(command -v docker) || die "no docker client found; install docker.io (Debian) or Docker Engine."
  fi
}
pick_docker
export DOCKER DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1

# docker-compose 1.x runs `docker build` by name: make that name the client chosen above.
if [[ "$(command -v docker 2>/dev/null)" != "$DOCKER" ]]; then
  DOCKER_SHIM_DIR="${TMPDIR:-/tmp}/pipeline-docker-shim-$(id -u)"
  mkdir -p "$DOCKER_SHIM_DIR"
  ln -sfn "$DOCKER" "$DOCKER_SHIM_DIR/docker"
  export PATH="$DOCKER_SHIM_DIR:$PATH"
fi

# Compose v2 (`docker compose`) when the plugin is there, else docker-compose 1.29.
if "$DOCKER" compose version >/dev/null 2>&1; then
  COMPOSE=("$DOCKER" compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  COMPOSE=()
fi

compose() {
  (( ${#COMPOSE[@]} > 0 )) || die "neither 'docker compose' nor 'docker-compose' is installed."
  "${COMPOSE[@]}" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" "$@"
}

# The JDK (21 or newer) that ./pipeline uses: it finds one by itself.
java_home() {
  "$ROOT/pipeline" java-home
}

image_exists() {
  "$DOCKER" image inspect "$1" >/dev/null 2>&1
}

require_engine() {
  "$DOCKER" version >/dev/null 2>&1 || die "no Docker engine answers (is dockerd running, may this user use it?)"
}
