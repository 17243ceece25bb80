#!/bin/sh
# CLI golden tests, TAP output. Each case in tests/cli/ is NAME.cmd (the
# arguments, one line, run from the source root with $WSINSTALL as the
# program), NAME.out (expected stdout), NAME.rc (expected exit status) and
# NAME.tags (the diagnostic tags stderr carries, "severity tag" per line,
# sorted: tags are the contract, the wording of messages is not).
# Set WSI_UPDATE_GOLDEN=1 to rewrite them after a deliberate change.
set -u
exe=$1
dir=$2
root=${WSI_SOURCE_ROOT:-$(dirname "$dir")/..}
cd "$root" || exit 1
n=0
fail=0
cases=$(ls "$dir"/*.cmd 2>/dev/null | sort)
total=$(printf '%s\n' "$cases" | grep -c . || true)
echo "1..$total"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cmd in $cases; do
  n=$((n + 1))
  name=$(basename "$cmd" .cmd)
  args=$(cat "$cmd")
  # shellcheck disable=SC2086 # the .cmd line is split into words on purpose
  eval "set -- $args"
  "$exe" "$@" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  # "file:line: error [tag]: message" and "error [tag]: message" lines.
  sed -n 's/^\(.*: \)\{0,1\}\(error\|warning\|info\) \[\([a-z0-9-]*\)\]: .*/\2 \3/p' "$tmp/err" | LC_ALL=C sort -u > "$tmp/tags"
  want_rc=$(cat "$dir/$name.rc" 2>/dev/null || echo 0)
  if [ "${WSI_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$tmp/out" "$dir/$name.out"
    echo "$rc" > "$dir/$name.rc"
    cp "$tmp/tags" "$dir/$name.tags"
    want_rc=$rc
  fi
  if [ "$rc" != "$want_rc" ]; then
    echo "not ok $n - $name: exit $rc, expected $want_rc"
    sed 's/^/# /' "$tmp/err"
    fail=$((fail + 1))
  elif [ -f "$dir/$name.out" ] && ! diff -u "$dir/$name.out" "$tmp/out" > "$tmp/diff"; then
    echo "not ok $n - $name: output differs"
    sed 's/^/# /' "$tmp/diff"
    fail=$((fail + 1))
  elif [ ! -f "$dir/$name.tags" ]; then
    echo "not ok $n - $name: no $name.tags (run with WSI_UPDATE_GOLDEN=1 and review it)"
    fail=$((fail + 1))
  elif ! diff -u "$dir/$name.tags" "$tmp/tags" > "$tmp/diff"; then
    echo "not ok $n - $name: the diagnostic tags on stderr differ"
    sed 's/^/# /' "$tmp/diff"
    fail=$((fail + 1))
  else
    echo "ok $n - $name"
  fi
done
[ "$fail" = 0 ]
