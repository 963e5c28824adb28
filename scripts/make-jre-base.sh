#!/usr/bin/env bash
# Builds a small Java 17 runtime image without any registry: jlink a JRE from this machine's JDK,
# copy in the shared libraries it needs (found with ldd), and load it as a FROM-scratch image with
# `docker import`. About 5 s and 70-90 MB; it has no shell, so Dockerfiles built on it use no RUN.
#
#   scripts/make-jre-base.sh [IMAGE]      default IMAGE: local/jre17:offline
#
# The product image is then built with `--build-arg BASE_IMAGE=IMAGE` (see scripts/build-image.sh).
# The layout copies eclipse-temurin:17-jre (/opt/java/openjdk), so the Dockerfile behaves alike on both.
set -euo pipefail

IMAGE="${1:-local/jre17:offline}"
JDK="${JDK_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
# What the standalone jar needs: `jdeps --print-module-deps` of it says java.base, java.sql (SQLite
# JDBC; brings java.xml, java.logging) and java.desktop (only java.beans, which Jackson uses when
# present and does without: left out, 20 MB). Plus: java.management and java.naming (JDBC and
# logging reach for them), jdk.crypto.ec (TLS, should a client library in the image need it),
# jdk.unsupported (sun.misc.Unsafe for libraries probing for it), jdk.zipfs; java.net.http (the
# third-party read-through's fetch client) and jdk.management (the JVM metrics of /metrics).
MODULES="java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.zipfs"

[ -d "$JDK/jmods" ] || { echo "make-jre-base: $JDK/jmods is missing (install openjdk-17-jdk-headless)" >&2; exit 1; }
command -v docker >/dev/null 2>&1 || { echo "make-jre-base: no docker CLI (run scripts/ensure-docker.sh)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
mkdir -p "$ROOT/opt/java"

"$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$MODULES" \
  --strip-debug --no-man-pages --no-header-files --generate-cds-archive \
  --output "$ROOT/opt/java/openjdk"

# the system libraries the JRE's executables and libraries link against (libc, libz, libstdc++ ...),
# plus those loaded by name at run time: libgcc_s (glibc's thread cancellation), and libpthread /
# libdl / librt, which SQLite JDBC's native library (extracted to /tmp at run time) links against
{
  find "$ROOT/opt/java/openjdk" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
    | xargs -0 ldd 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' || true
  for lib in libgcc_s.so.1 libpthread.so.0 libdl.so.2 librt.so.1 libm.so.6 libc.so.6; do
    [ -e "/lib/x86_64-linux-gnu/$lib" ] && echo "/lib/x86_64-linux-gnu/$lib"
  done
} | grep -v "^$ROOT" | sort -u | while read -r lib; do
  cp --parents -L "$lib" "$ROOT"
done
# /lib64 is a symlink on merged-/usr systems: copy the loader where the ELF headers look for it
[ -e "$ROOT/lib64/ld-linux-x86-64.so.2" ] || cp --parents -L /lib64/ld-linux-x86-64.so.2 "$ROOT"

# UTF-8 by default (without the locale Java 17 falls back to ASCII even with LANG=C.UTF-8)
if [ -d /usr/lib/locale/C.utf8 ]; then
  cp -r --parents /usr/lib/locale/C.utf8 "$ROOT"
fi

mkdir -p "$ROOT/tmp" "$ROOT/etc"
chmod 1777 "$ROOT/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\n' >"$ROOT/etc/passwd"
printf 'root:x:0:\n' >"$ROOT/etc/group"
printf 'hosts: files dns\n' >"$ROOT/etc/nsswitch.conf"

tar -C "$ROOT" --numeric-owner -c . | docker import \
  -c 'ENV JAVA_HOME=/opt/java/openjdk' \
  -c 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV LANG=C.UTF-8' \
  -m "jlink JRE ($MODULES) from $("$JDK/bin/java" -version 2>&1 | head -1)" \
  - "$IMAGE" >/dev/null
echo "make-jre-base: built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1000000}'))"
