#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The public API is pinned three ways, and they must agree:
#  1. what the public headers declare (between WSI_BEGIN_PUBLIC and
#     WSI_END_PUBLIC): the default-visibility symbols of the internal
#     library, everything else being compiled hidden;
#  2. engine/libwsinstall.map;
#  3. what the shared library exports.
# A function made public without a map line, or a map line for a private
# function, fails here. TAP output.
set -u
lib=$1
map=$2
internal=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..2"
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sed 's/@.*//' | LC_ALL=C sort -u > "$tmp/exported"
sed -n '/global:/,/local:/p' "$map" | sed -n 's/^ *\([A-Za-z_][A-Za-z0-9_]*\);$/\1/p' | LC_ALL=C sort -u > "$tmp/mapped"
readelf -sW "$internal" | awk '$5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" { print $8 }' | LC_ALL=C sort -u > "$tmp/declared"
if [ ! -s "$tmp/exported" ]; then
  echo "not ok 1 - $lib exports nothing"
  exit 1
fi
if diff -u "$tmp/mapped" "$tmp/exported" > "$tmp/diff"; then
  echo "ok 1 - the $(wc -l < "$tmp/exported") exported symbols are the map's"
else
  echo "not ok 1 - the exported symbols differ from the map (- map only, + exported only)"
  sed 's/^/# /' "$tmp/diff"
  exit 1
fi
if diff -u "$tmp/mapped" "$tmp/declared" > "$tmp/diff"; then
  echo "ok 2 - the map lists exactly what the public headers declare"
else
  echo "not ok 2 - the map and the public headers differ (- map only, + public headers only)"
  sed 's/^/# /' "$tmp/diff"
  exit 1
fi
