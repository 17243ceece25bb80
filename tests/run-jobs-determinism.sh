#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# validate --jobs=N must print what --jobs=1 prints, byte for byte, every
# time (issue 12: threads that raced on GLib's lazy "C" locale set-up left
# errno = EAGAIN, and parsers that tested errno refused valid numbers in
# about 1 run of 200). The race strikes once per process at most, so the
# test runs many short processes: RUNS of them, with N from 2 to 8, in
# each output format. TAP output, one line per format.
#
# usage: run-jobs-determinism.sh WSINSTALL RUNS PATH...
set -u
exe=$1
runs=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
formats="text json"
echo "1..$(echo $formats | wc -w)"
n=0
fail=0
for format in $formats; do
  n=$((n + 1))
  "$exe" validate --jobs=1 --format="$format" "$@" > "$tmp/want" 2> "$tmp/want-err"
  want_rc=$?
  # A corpus that validates cleanly, or a crash, would prove nothing.
  if [ "$want_rc" != 1 ] || [ ! -s "$tmp/want" ]; then
    echo "not ok $n - $format: --jobs=1 exited $want_rc (expected 1, errors found) or printed nothing"
    sed 's/^/# /' "$tmp/want-err"
    fail=$((fail + 1))
    continue
  fi
  bad=0
  i=0
  while [ "$i" -lt "$runs" ]; do
    jobs=$((2 + i % 7))
    "$exe" validate --jobs="$jobs" --format="$format" "$@" > "$tmp/got" 2> "$tmp/got-err"
    rc=$?
    if [ "$rc" != "$want_rc" ] || ! cmp -s "$tmp/want" "$tmp/got"; then
      bad=$((bad + 1))
      if [ "$bad" = 1 ]; then
        echo "# run $i, --jobs=$jobs: exit $rc (want $want_rc)"
        diff -u "$tmp/want" "$tmp/got" | head -20 | sed 's/^/# /'
      fi
    fi
    i=$((i + 1))
  done
  if [ "$bad" = 0 ]; then
    echo "ok $n - $format: $runs runs with --jobs=2..8 match --jobs=1"
  else
    echo "not ok $n - $format: $bad of $runs runs differ from --jobs=1"
    fail=$((fail + 1))
  fi
done
[ "$fail" = 0 ]
