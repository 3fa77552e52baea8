#!/usr/bin/env bash
# Smoke test of docker-compose.yml, for a machine with a Docker engine and no registry:
#
#   1. builds the stand-in base images (docker/standins/build.sh; kept when already present)
#   2. builds the service images from docker-compose.yml on those stand-ins
#   3. starts Kafka and the services with 3 processors, waits until every container is healthy
#   4. sends 20,000 requests from the host (./pipeline send); checks that every one was replied
#      and that each of the 3 processors did some of the work
#   5. scales down to 1 processor, sends 5,000 more through the compose `cli` service; checks
#      that every one was replied, all by the processor left
#   6. tears everything down: containers, networks, volumes, the images it built (on failure
#      too, after the logs); the stand-ins and the build cache stay for the next run
#
# Usage: docker/smoke-test.sh
# Environment: SMOKE_REQUESTS (20000), SMOKE_PROJECT (the compose project, pipeline-smoke);
# the host ports INGEST_PORT, REPLY_PORT, KAFKA_PORT default to free ones from 18080, 18081, 19092.
# Needs: a Docker engine, docker compose or docker-compose, curl, jq, a JDK >= 21 (./pipeline).
set -euo pipefail
LOG_NAME=smoke
# shellcheck source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

readonly REQUESTS=${SMOKE_REQUESTS:-20000}
readonly SECOND_REQUESTS=5000
readonly PROCESSORS=3
readonly HEALTH_TIMEOUT=300
export COMPOSE_PROJECT_NAME=${SMOKE_PROJECT:-pipeline-smoke}
export PIPELINE_IMAGE_TAG=smoke
readonly SMOKE_IMAGES=(pipeline/ingest-service:smoke pipeline/processor-service:smoke pipeline/reply-service:smoke pipeline/cli:smoke)

started=$SECONDS
current_phase=""
phase_started=$SECONDS
timings=()
# Starts a phase of the test; the time each phase took is printed at the end.
phase() {
  if [[ -n "$current_phase" ]]; then
    timings+=("$(printf '%-40s %4d s' "$current_phase" $((SECONDS - phase_started)))")
  fi
  current_phase=$1
  phase_started=$SECONDS
  log "$1"
}

fail() {
  log "FAILED: $*"
  exit 1
}

# ---- preconditions -------------------------------------------------------------------------------
require_engine
(( ${#COMPOSE[@]} > 0 )) || die "neither 'docker compose' nor 'docker-compose' is installed."
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing (Debian: apt-get install $tool)."
done

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
free_port_from() {
  local port=$1
  until port_free "$port"; do
    port=$((port + 1))
  done
  echo "$port"
}
INGEST_PORT=${INGEST_PORT:-$(free_port_from 18080)}
REPLY_PORT=${REPLY_PORT:-$(free_port_from $((INGEST_PORT == 18081 ? 18082 : 18081)))}
KAFKA_PORT=${KAFKA_PORT:-$(free_port_from 19092)}

# docker-compose.yml's settings, for compose only: exported KAFKA_* variables would also reach
# the host-side ./pipeline send as Kafka client settings
stack() {
  KAFKA_IMAGE=$STANDIN_KAFKA_IMAGE BUILD_IMAGE=$STANDIN_BUILD_IMAGE RUNTIME_IMAGE=$STANDIN_RUNTIME_IMAGE \
    INGEST_PORT=$INGEST_PORT REPLY_PORT=$REPLY_PORT KAFKA_PORT=$KAFKA_PORT compose "$@"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-smoke.XXXXXX")
chmod 777 "$work" # the cli container (uid 10001) writes its report here

teardown() {
  local status=$?
  trap - EXIT INT TERM
  if (( status != 0 )); then
    log "the last lines of each service's log:"
    stack logs --no-color --tail=40 >&2 || true
  fi
  log "tearing down: containers, networks, volumes"
  stack --profile cli down --volumes --remove-orphans --timeout 30 >/dev/null 2>&1 || true
  # the images built for this run too (the build cache stays, so the next run builds quickly)
  "$DOCKER" rmi "${SMOKE_IMAGES[@]}" >/dev/null 2>&1 || true
  local left
  left=$({ "$DOCKER" ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME"
           "$DOCKER" network ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME"
           "$DOCKER" volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME"; } | wc -l)
  if (( left > 0 )); then
    log "teardown left $left containers, networks or volumes of $COMPOSE_PROJECT_NAME behind"
    status=1
  fi
  rm -rf "$work"
  if (( status == 0 )); then
    phase "done"
    printf '    %s\n' "${timings[@]}" >&2
    log "PASSED in $((SECONDS - started)) s (compose: ${COMPOSE[*]})"
  else
    log "FAILED (exit $status) in: $current_phase"
  fi
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

# ---- helpers -------------------------------------------------------------------------------------

# Waits until SERVICE has COUNT running containers, all healthy.
wait_healthy() {
  local service=$1 count=$2 deadline=$((SECONDS + HEALTH_TIMEOUT)) ids statuses healthy
  while true; do
    ids=$(stack ps -a -q "$service")
    statuses=$( [[ -z "$ids" ]] || "$DOCKER" inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' $ids)
    healthy=$(grep -c '^running/healthy$' <<<"$statuses" || true)
    if (( healthy == count )) && [[ $(wc -w <<<"$ids") -eq $count ]]; then
      return 0
    fi
    if grep -q -E '^(exited|dead)/' <<<"$statuses"; then
      fail "$service: a container stopped ($(tr '\n' ' ' <<<"$statuses"))"
    fi
    (( SECONDS < deadline )) || fail "$service: not $count healthy containers within $HEALTH_TIMEOUT s ($(tr '\n' ' ' <<<"$statuses"))"
    sleep 2
  done
}

# The processor instances (the part of "instance/worker" before the slash) that replied to
# CLIENT, with how many replies each: "count instance" lines, read page by page from the reply
# service, which holds every reply of the run.
replies_by_processor() {
  local client=$1 after="" page
  while true; do
    page=$(curl -fsS -G "http://127.0.0.1:$REPLY_PORT/v1/replies" --data-urlencode "client=$client" \
             --data-urlencode "limit=1000" ${after:+--data-urlencode "after=$after"})
    (( $(jq '.items | length' <<<"$page") > 0 )) || break
    jq -r '.items[].processor' <<<"$page"
    after=$(jq -r '.next' <<<"$page")
  done | sed 's|/.*||' | sort | uniq -c | awk '{print $1, $2}'
}

# The processor containers' host names; a processor's default instance id is "<host>-<pid>".
processor_hosts() {
  local ids
  ids=$(stack ps -q processor-service)
  # shellcheck disable=SC2086
  "$DOCKER" inspect -f '{{.Config.Hostname}}' $ids | sort
}

# Checks a send report: every request accepted and replied, none missing.
check_report() {
  local report=$1 expected=$2 sent accepted replied missing
  sent=$(jq '.sent' "$report")
  accepted=$(jq '.accepted' "$report")
  replied=$(jq '[.replies[]] | add' "$report")
  missing=$(jq '.missing' "$report")
  log "sent $sent, accepted $accepted, replied $replied, missing $missing ($(jq -c '.replies' "$report"); $(jq '.throughput.repliesPerSecond' "$report") replies/s)"
  (( sent == expected && accepted == expected )) || fail "expected $expected requests sent and accepted"
  (( replied == expected && missing == 0 )) || fail "expected a reply to each of the $expected requests"
}

# ---- 1, 2: images --------------------------------------------------------------------------------
phase "stand-in base images"
"$ROOT/docker/standins/build.sh"

phase "service images (compose build)"
log "compose: ${COMPOSE[*]}; project $COMPOSE_PROJECT_NAME; ports ingest $INGEST_PORT, reply $REPLY_PORT, kafka $KAFKA_PORT"
stack --profile cli build >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; fail "the image build failed"; }
for image in "${SMOKE_IMAGES[@]}"; do
  image_exists "$image" || fail "the image $image was not built"
done

# the host-side CLI, built now so its build does not count in the send
"$ROOT/pipeline" --version >/dev/null

# ---- 3: start ------------------------------------------------------------------------------------
phase "start with $PROCESSORS processors"
stack up -d --scale "processor-service=$PROCESSORS" >&2
wait_healthy kafka 1
wait_healthy reply-service 1
wait_healthy ingest-service 1
wait_healthy processor-service "$PROCESSORS"

# what the images promise: a user of their own, the store on the named volume
uid=$(stack exec -T ingest-service id -u | tr -d '\r')
[[ "$uid" != 0 ]] || fail "ingest-service runs as root"
mounts=$("$DOCKER" inspect -f '{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}};{{end}}' "$(stack ps -q reply-service)")
[[ "$mounts" == *"volume ${COMPOSE_PROJECT_NAME}_replies /opt/pipeline/data;"* ]] ||
  fail "the reply store is not on the named volume (mounts: $mounts)"

# ---- 4: send through 3 processors ----------------------------------------------------------------
phase "send $REQUESTS requests from the host"
client="smoke-$RANDOM$RANDOM"
"$ROOT/pipeline" send --url "http://127.0.0.1:$INGEST_PORT" --reply-url "http://127.0.0.1:$REPLY_PORT" \
  --client "$client" --type echo --payload '"smoke"' --count "$REQUESTS" --keys 1000 --timeout 120s \
  --no-progress --report "$work/first.json" >/dev/null ||
  fail "./pipeline send reported missing replies or failed requests (exit $?)"
check_report "$work/first.json" "$REQUESTS"

hosts=$(processor_hosts)
by_processor=$(replies_by_processor "$client")
log "replies by processor instance: $(tr '\n' ' ' <<<"$by_processor")"
(( $(awk '{n += $1} END {print n}' <<<"$by_processor") == REQUESTS )) ||
  fail "the reply service holds $(awk '{n += $1} END {print n}' <<<"$by_processor") replies of $client, not $REQUESTS"
for host in $hosts; do
  grep -q " $host-" <<<"$by_processor" || fail "processor $host did no work"
done
(( $(wc -l <<<"$by_processor") == PROCESSORS )) || fail "replies came from other instances than the $PROCESSORS processors"

# ---- 5: scale down, send through the cli service -------------------------------------------------
phase "scale down to 1, send $SECOND_REQUESTS via cli"
stack up -d --scale processor-service=1 >&2
wait_healthy processor-service 1
last=$(processor_hosts)
client="smoke-$RANDOM$RANDOM"
stack --profile cli run --rm -T -v "$work:/report" cli send \
  --client "$client" --type echo --payload '"smoke"' --count "$SECOND_REQUESTS" --keys 100 --timeout 120s \
  --no-progress --report /report/second.json >/dev/null ||
  fail "send in the cli container reported missing replies or failed requests"
check_report "$work/second.json" "$SECOND_REQUESTS"
by_processor=$(replies_by_processor "$client")
log "replies by processor instance: $(tr '\n' ' ' <<<"$by_processor")"
[[ $(wc -l <<<"$by_processor") -eq 1 && "$by_processor" == "$SECOND_REQUESTS $last-"* ]] ||
  fail "expected all $SECOND_REQUESTS replies from the one processor left ($last)"

# ---- 6: teardown (the EXIT trap) -----------------------------------------------------------------
phase "teardown"
