#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/sha256sums.sh DIR: writes DIR/SHA256SUMS, the sha256sum lines of
# every other file under DIR by path relative to it, in byte order, so that
# `sha256sum -c SHA256SUMS` run in DIR checks them. Used by release.sh and,
# after signing changed the binaries, by sign.sh.
set -eu
if [ $# != 1 ] || [ ! -d "$1" ]; then
  echo "usage: tools/win/sha256sums.sh DIR" >&2
  exit 2
fi
cd "$1"
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find . -type f ! -path ./SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort > "$list"
while IFS= read -r f; do
  sha256sum -- "$f"
done < "$list" > "$list.sums"
mv "$list.sums" SHA256SUMS
chmod 0644 SHA256SUMS
