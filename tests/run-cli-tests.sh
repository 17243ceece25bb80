#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# CLI golden tests, TAP output. Each case in tests/cli/ is
#
#   NAME.cmd  the arguments, one line, run from the source root with
#             $WSINSTALL as the program; $tmp names a fresh directory
#   NAME.out  the expected stdout, byte for byte
#   NAME.rc   the expected exit status
#   NAME.err  the expected stderr, reduced to what is the contract: the
#             diagnostics' locations, severities and tags, not their wording
#
# NAME.err is the whole of stderr, line by line, with
#   - each diagnostic line, "FILE:LINE: SEVERITY [TAG]: MESSAGE",
#     "FILE: SEVERITY [TAG]: MESSAGE" or "SEVERITY [TAG]: MESSAGE", cut
#     before its message: "FILE:LINE: SEVERITY [TAG]", "SEVERITY [TAG]";
#   - each diagnostic's hint line, "  hint: TEXT", cut to "  hint" (the
#     hint is the tag registry's wording, documented by `explain`);
#   - every other line (the CLI's own lines: usage errors, "wrote ...",
#     "an interrupted run was rolled back first") kept as it is;
#   - the run's temporary directory written as $tmp, and the source root,
#     where a path under it is absolute, as $root.
# So a reworded message changes no golden file; a new, lost, reordered or
# moved diagnostic, or a changed CLI line, does.
#
# Set WSI_UPDATE_GOLDEN=1 to rewrite .out, .rc and .err after a deliberate
# change (WSI_UPDATE_GOLDEN=1 meson test -C build cli), and review the diff.
set -u
exe=$1
dir=$2
root=${WSI_SOURCE_ROOT:-$(dirname "$dir")/..}
cd "$root" || exit 1
root=$(pwd)
n=0
fail=0
cases=$(ls "$dir"/*.cmd 2>/dev/null | sort)
total=$(printf '%s\n' "$cases" | grep -c . || true)
echo "1..$total"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A path as a literal in a sed pattern delimited by '|'.
sed_literal() {
  printf '%s\n' "$1" | sed 's/[][\\|.^$*]/\\&/g'
}
tmp_re=$(sed_literal "$tmp")
root_re=$(sed_literal "$root")

# reduce_stderr < RAW > ERR: the NAME.err form of a run's stderr (above).
reduce_stderr() {
  sed -e "s|$tmp_re|\$tmp|g" -e "s|$root_re/|\$root/|g" \
    -e 's/^\(.*: \)\{0,1\}\(error\|warning\|info\) \[\([a-z0-9-]*\)\]: .*/\1\2 [\3]/' \
    -e 's/^  hint: .*/  hint/'
}

for cmd in $cases; do
  n=$((n + 1))
  name=$(basename "$cmd" .cmd)
  args=$(cat "$cmd")
  # shellcheck disable=SC2086 # the .cmd line is split into words on purpose
  eval "set -- $args"
  "$exe" "$@" > "$tmp/out" 2> "$tmp/raw"
  rc=$?
  reduce_stderr < "$tmp/raw" > "$tmp/err"
  want_rc=$(cat "$dir/$name.rc" 2>/dev/null || echo 0)
  if [ "${WSI_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$tmp/out" "$dir/$name.out"
    echo "$rc" > "$dir/$name.rc"
    cp "$tmp/err" "$dir/$name.err"
    want_rc=$rc
  fi
  if [ "$rc" != "$want_rc" ]; then
    echo "not ok $n - $name: exit $rc, expected $want_rc"
    sed 's/^/# /' "$tmp/raw"
    fail=$((fail + 1))
  elif [ -f "$dir/$name.out" ] && ! diff -u "$dir/$name.out" "$tmp/out" > "$tmp/diff"; then
    echo "not ok $n - $name: output differs"
    sed 's/^/# /' "$tmp/diff"
    fail=$((fail + 1))
  elif [ ! -f "$dir/$name.err" ]; then
    echo "not ok $n - $name: no $name.err (run with WSI_UPDATE_GOLDEN=1 and review it)"
    fail=$((fail + 1))
  elif ! diff -u "$dir/$name.err" "$tmp/err" > "$tmp/diff"; then
    echo "not ok $n - $name: stderr differs (locations, severities, tags or CLI lines)"
    sed 's/^/# /' "$tmp/diff"
    echo "# the whole stderr:"
    sed 's/^/#   /' "$tmp/raw"
    fail=$((fail + 1))
  else
    echo "ok $n - $name"
  fi
done
[ "$fail" = 0 ]
