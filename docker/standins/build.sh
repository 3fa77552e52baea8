#!/usr/bin/env bash
# Builds local stand-ins for the three public images the Docker setup uses, from what this
# machine already has, for machines that reach no container registry (CI here):
#
#   pipeline-standin/eclipse-temurin:25-jre         for eclipse-temurin:25-jre          (RUNTIME_IMAGE)
#   pipeline-standin/maven:3.9-eclipse-temurin-25   for maven:3.9-eclipse-temurin-25    (BUILD_IMAGE)
#   pipeline-standin/kafka:4.4.0                    for apache/kafka:4.4.0              (KAFKA_IMAGE)
#
# The runtime is a jlink image of the JDK that ./pipeline finds, with the shared libraries it
# needs, bash and busybox; the build image holds that whole JDK and Apache Maven from Maven
# Central; the Kafka image is the runtime plus Kafka's jars (from this project's build) and a
# /etc/kafka/docker/run with the official image's contract (see kafka/run).
#
# Usage: docker/standins/build.sh [--force]     images already present are kept unless --force
# Needs: a Docker engine, a JDK >= 21 (24+ when it has no jmods/), bash, busybox, ldd, curl.
set -euo pipefail
LOG_NAME=standins
# shellcheck source=../lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"

readonly MAVEN_VERSION=3.9.16
readonly MAVEN_URL="https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/$MAVEN_VERSION/apache-maven-$MAVEN_VERSION-bin.tar.gz"
readonly HERE="$ROOT/docker/standins"
# modules a JRE leaves out (development tools); jdk.jlink cannot link itself anyway
readonly JDK_ONLY_MODULES="jdk.compiler jdk.javadoc jdk.jdeps jdk.jshell jdk.jlink jdk.jpackage jdk.jartool jdk.hotspot.agent"

force=false
case "${1:-}" in
  --force) force=true ;;
  "") ;;
  *) die "usage: $0 [--force]" ;;
esac

require_engine
for tool in busybox ldd ldconfig curl sha512sum; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing (Debian: apt-get install busybox-static libc-bin curl coreutils)."
done
JDK=$(java_home) || die "no JDK 21 or newer found (./pipeline java-home)."
readonly JDK

work=$(mktemp -d "${TMPDIR:-/tmp}/pipeline-standins.XXXXXX")
trap 'rm -rf "$work"' EXIT

wanted() {
  if [[ "$force" == false ]] && image_exists "$1"; then
    log "$1 is present (--force rebuilds it)"
    return 1
  fi
}

# Copies into $1 every shared library (outside the JDK) that the ELF files under $1 need, plus the
# dynamic loader: ldd names them, transitively.
add_shared_libraries() {
  local rootfs=$1 lib
  shift
  {
    # ldd fails on files that are not dynamic executables: the rest of its output counts
    { find "$rootfs/opt/java/openjdk" "$rootfs/bin/bash" -type f \( -name '*.so' -o -perm -u+x \) -print0 |
        xargs -0 ldd 2>/dev/null || true; } |
      awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}'
    # loaded at run time, not linked: the C++ runtime of the snappy and zstd natives, and more
    local soname
    for soname in libstdc++.so.6 libgcc_s.so.1 "$@"; do
      # (awk reads to the end: an early exit would fail ldconfig with SIGPIPE under pipefail)
      lib=$(ldconfig -p | awk -v n="$soname" '$1 == n && /x86-64|AArch64/ && !found {print $NF; found = 1}')
      [[ -n "$lib" ]] || die "shared library $soname not found on this machine"
      echo "$lib"
      ldd "$lib" | awk '$2 == "=>" && $3 ~ /^\// {print $3}'
    done
  } | sort -u | while read -r lib; do
    case "$lib" in "$rootfs"/*|"$JDK"/*) continue ;; esac
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
}

# The parts every stand-in shares, around a Java already in $1/opt/java/openjdk: a shell and the
# usual tools (busybox), bash, the libraries, and the few files in /etc a JVM and a shell read.
assemble_rootfs() {
  local rootfs=$1 applet
  shift
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,root,home,tmp,var/tmp,lib,lib64}
  chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
  cp -L "$(command -v bash)" "$rootfs/bin/bash"
  cp -L "$(command -v busybox)" "$rootfs/bin/busybox"
  for applet in $(busybox --list-full); do
    [[ -e "$rootfs/$applet" ]] || ln -s /bin/busybox "$rootfs/$applet"
  done
  add_shared_libraries "$rootfs" "$@"
  cat > "$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
  cat > "$rootfs/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
  echo "hosts: files dns" > "$rootfs/etc/nsswitch.conf"
}

import_rootfs() {
  local rootfs=$1 tag=$2
  shift 2
  local changes=() change
  for change in "$@"; do
    changes+=(--change "$change")
  done
  tar -C "$rootfs" -c . | "$DOCKER" import "${changes[@]}" - "$tag" >/dev/null
  log "built $tag ($("$DOCKER" image inspect -f '{{.Size}}' "$tag" | awk '{printf "%d MB", $1 / 1e6}'))"
}

readonly JAVA_ENV=('ENV JAVA_HOME=/opt/java/openjdk' 'ENV LANG=C.UTF-8'
                   'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')

build_runtime() {
  local rootfs="$work/runtime" modules module_path=()
  log "linking a Java runtime from $JDK"
  modules=$("$JDK/bin/java" --list-modules | sed 's/@.*//' | grep -vxF -f <(tr ' ' '\n' <<<"$JDK_ONLY_MODULES") |
            grep -v '^jdk\.incubator\.' | paste -sd, -)
  # a JDK with jmods/ links from them; JDK 24+ without them links from its own run-time image
  [[ -d "$JDK/jmods" ]] && module_path=(--module-path "$JDK/jmods")
  mkdir -p "$rootfs/opt/java"
  "$JDK/bin/jlink" "${module_path[@]}" --add-modules "$modules" --strip-debug --no-man-pages \
    --no-header-files --compress=zip-6 --output "$rootfs/opt/java/openjdk"
  # class data sharing, as the official image does (java -Xshare:dump): faster JVM starts
  "$rootfs/opt/java/openjdk/bin/java" -Xshare:dump >/dev/null
  assemble_rootfs "$rootfs"
  import_rootfs "$rootfs" "$STANDIN_RUNTIME_IMAGE" "${JAVA_ENV[@]}" 'CMD ["/bin/bash"]'
}

build_maven() {
  local rootfs="$work/maven" cache="${XDG_CACHE_HOME:-$HOME/.cache}/pipeline-standins"
  local tarball="$cache/apache-maven-$MAVEN_VERSION-bin.tar.gz"
  mkdir -p "$cache" "$rootfs/opt/java" "$rootfs/usr/share/maven" "$rootfs/usr/bin"
  if [[ ! -f "$tarball" ]]; then
    log "downloading Apache Maven $MAVEN_VERSION from Maven Central"
    curl -fsSL -o "$tarball.part" "$MAVEN_URL"
    echo "$(curl -fsSL "$MAVEN_URL.sha512" | awk '{print $1}')  $tarball.part" | sha512sum -c --quiet -
    mv "$tarball.part" "$tarball"
  fi
  log "copying the JDK $JDK"
  cp -rL "$JDK" "$rootfs/opt/java/openjdk"
  tar -xzf "$tarball" -C "$rootfs/usr/share/maven" --strip-components=1
  ln -s /usr/share/maven/bin/mvn "$rootfs/usr/bin/mvn"
  # Maven's jansi native library links libutil
  assemble_rootfs "$rootfs" libutil.so.1
  import_rootfs "$rootfs" "$STANDIN_BUILD_IMAGE" "${JAVA_ENV[@]}" 'ENV MAVEN_HOME=/usr/share/maven' \
    'ENV MAVEN_CONFIG=/root/.m2' 'CMD ["mvn"]'
}

build_kafka() {
  local context="$work/kafka" jar name module
  log "building the jars (./pipeline builds them when they are missing or stale)"
  "$ROOT/pipeline" --version >/dev/null
  mkdir -p "$context/libs"
  cp "$HERE/kafka/Dockerfile" "$HERE/kafka/run" "$HERE/kafka/logback.xml" "$context/"
  # Kafka's jars and what they need; the project's own modules are not Kafka
  for jar in "$ROOT"/pipeline-cli/target/lib/*.jar; do
    name=$(basename "$jar")
    for module in "$ROOT"/*/pom.xml; do
      module=$(basename "$(dirname "$module")")
      [[ "$name" == "$module"-[0-9]*.jar ]] && continue 2
    done
    cp "$jar" "$context/libs/"
  done
  "$DOCKER" build -q --build-arg "BASE_IMAGE=$STANDIN_RUNTIME_IMAGE" -t "$STANDIN_KAFKA_IMAGE" "$context" >/dev/null
  log "built $STANDIN_KAFKA_IMAGE ($("$DOCKER" image inspect -f '{{.Size}}' "$STANDIN_KAFKA_IMAGE" | awk '{printf "%d MB", $1 / 1e6}'))"
}

# Images a rebuild replaces: removed at the end (kafka's first, it is built on the runtime), so
# repeated --force runs do not pile up untagged images. One still in use stays.
replaced=()
remember() {
  local id
  id=$("$DOCKER" image inspect -f '{{.Id}}' "$1" 2>/dev/null) && replaced=("$id" "${replaced[@]}")
  return 0
}
trap 'rm -rf "$work"; (( ${#replaced[@]} == 0 )) || "$DOCKER" rmi "${replaced[@]}" >/dev/null 2>&1 || true' EXIT

runtime_built=false
if wanted "$STANDIN_RUNTIME_IMAGE"; then
  remember "$STANDIN_RUNTIME_IMAGE"
  build_runtime
  runtime_built=true
fi
if wanted "$STANDIN_BUILD_IMAGE"; then
  remember "$STANDIN_BUILD_IMAGE"
  build_maven
fi
# the Kafka stand-in is built on the runtime: a new runtime means a new Kafka image
if [[ "$runtime_built" == true ]] || wanted "$STANDIN_KAFKA_IMAGE"; then
  remember "$STANDIN_KAFKA_IMAGE"
  build_kafka
fi
