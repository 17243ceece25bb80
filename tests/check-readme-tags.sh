#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's diagnostics table must be exactly what the tag registry
# says (`wsinstall explain --list --markdown`), so the one table that
# documents every tag cannot drift from the code. TAP output.
# Regenerate: see the comment above the table in README.md.
set -u
exe=$1
readme=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..1"
"$exe" explain --list --markdown > "$tmp/want"
awk '/<!-- tags:begin -->/{f=1;next} /<!-- tags:end -->/{f=0} f' "$readme" > "$tmp/have"
if diff -u "$tmp/want" "$tmp/have" > "$tmp/diff"; then
  echo "ok 1 - README.md's tag table matches the registry"
else
  echo "not ok 1 - README.md's tag table differs from the registry"
  sed 's/^/# /' "$tmp/diff"
  exit 1
fi
