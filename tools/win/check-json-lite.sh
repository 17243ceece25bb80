#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/check-json-lite.sh: json-glib-lite (the Windows builds' stand-in
# for json-glib, subprojects/json-glib-lite) must write what json-glib writes.
# Builds json-glib-lite/check.c natively against both and compares their
# output. Needs gcc, pkg-config and libjson-glib-dev (tools/dev deps). TAP.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lite=$(cd "$here/../../subprojects/json-glib-lite" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cflags="-std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wformat=2 -Wmissing-prototypes"

echo "1..2"
# shellcheck disable=SC2086,SC2046
gcc $cflags -o "$tmp/real" "$lite/check.c" $(pkg-config --cflags --libs json-glib-1.0)
# shellcheck disable=SC2086,SC2046
gcc $cflags -fsanitize=address,undefined -DG_LOG_DOMAIN='"Json"' -I"$lite" -o "$tmp/lite" "$lite/check.c" \
  "$lite"/json-*.c $(pkg-config --cflags --libs gobject-2.0)
"$tmp/real" > "$tmp/real.out" 2>/dev/null
if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$tmp/lite" > "$tmp/lite.out" 2> "$tmp/lite.err"; then
  echo "ok 1 - json-glib-lite check runs clean under ASan+UBSan"
else
  echo "not ok 1 - json-glib-lite check failed under ASan+UBSan"
  sed 's/^/# /' "$tmp/lite.err"
  exit 1
fi
if cmp -s "$tmp/real.out" "$tmp/lite.out"; then
  echo "ok 2 - json-glib-lite output equals json-glib's ($(wc -c < "$tmp/real.out") bytes)"
else
  echo "not ok 2 - json-glib-lite output differs from json-glib's"
  diff -u "$tmp/real.out" "$tmp/lite.out" | head -50 | sed 's/^/# /'
  exit 1
fi
