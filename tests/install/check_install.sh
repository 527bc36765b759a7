#!/usr/bin/env bash
# Installs nmrc from the build tree into a temporary prefix, then builds and
# runs a consumer program twice: with find_package(nmrc) and with pkg-config.
set -euo pipefail
src=$1; bin=$2; spec=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$bin" --prefix "$tmp/prefix" >/dev/null
test -x "$tmp/prefix/bin/nmrc"
cmake -S "$src/tests/install/consumer" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/cm" >/dev/null
LD_LIBRARY_PATH="$tmp/prefix/lib:${LD_LIBRARY_PATH:-}" "$tmp/cm/consumer" "$spec"
libdir=$(ls -d "$tmp"/prefix/lib* | head -1)
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c17 "$src/tests/install/consumer.c" -o "$tmp/pc-consumer" \
   $(pkg-config --cflags nmrc) $(pkg-config --libs nmrc) -Wl,-rpath,"$libdir"
"$tmp/pc-consumer" "$spec"
echo "install check passed"
