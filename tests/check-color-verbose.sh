#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Colour only on a terminal, and what --verbose adds. The terminal is a
# pseudo-terminal from script(1) (util-linux); the golden tests cover the
# rest (their output is a pipe, so it must stay plain). TAP output.
#
#   check-color-verbose.sh WSINSTALL SOURCE-ROOT
set -u
exe=$1
cd "$2" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
esc=$(printf '\033')
bad=tests/data/manifests/bad/duplicate-id.xml
manifest=manifests/contoso-web-filter.xml
export WSINSTALL_REFERENCE_DIR="${WSINSTALL_REFERENCE_DIR:-$PWD/data/reference}"
unset NO_COLOR
# A terminal that takes colour, whatever the test runner's (CI: often dumb).
export TERM=xterm
echo "1..12"

result() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    sed 's/^/# /' "$tmp/out" | cat -v
    fail=1
  fi
}
# on_tty COMMAND: runs it with stdin, stdout and stderr on a terminal.
on_tty() { script -qec "$1" /dev/null > "$tmp/out" 2>&1 < /dev/null; }
colored() { grep -q "$esc\[" "$tmp/out"; }
plain() { ! grep -q "$esc" "$tmp/out"; }

on_tty "'$exe' validate $bad"
colored && grep -q "$esc\[1;31merror$esc\[0m \[$esc\[31mduplicate-id$esc\[0m\]" "$tmp/out"
result $? "a terminal gets the severity and the tag coloured"
on_tty "NO_COLOR=1 '$exe' validate $bad"
plain; result $? "NO_COLOR=1 turns colour off on a terminal"
on_tty "NO_COLOR= '$exe' validate $bad"
colored; result $? "an empty NO_COLOR does not"
on_tty "TERM=dumb '$exe' validate $bad"
plain; result $? "TERM=dumb gets no colour"
on_tty "'$exe' validate --color=never $bad"
plain; result $? "--color=never on a terminal gets no colour"
"$exe" validate $bad > "$tmp/out" 2>&1
plain; result $? "a pipe gets no colour"
# Standard error on a terminal while standard output is a file, and the
# other way round: each stream is decided on its own.
on_tty "'$exe' plan --machine ref:win7-x86 $manifest 2>&1 > /dev/null"
colored && grep -q "profile-mismatch" "$tmp/out"
result $? "diagnostics on standard error are coloured when it is a terminal"
on_tty "'$exe' plan --machine ref:win7-x86 $manifest 2> '$tmp/err'"
cp "$tmp/err" "$tmp/out"
plain && grep -q "profile-mismatch" "$tmp/out"
result $? "and plain when standard error is a file, even with standard output on a terminal"

# --verbose: the machine used and the time taken, on standard error only.
"$exe" --verbose plan --machine ref:win10-x64 $manifest > "$tmp/plan" 2> "$tmp/out"
grep -q "^wsinstall: machine: ref:win10-x64 (from --machine)$" "$tmp/out" \
  && grep -q "^wsinstall: ref:win10-x64: .*/win10-x64.xml$" "$tmp/out" \
  && grep -q "^wsinstall: plan: exit 0 after [0-9.]* ms$" "$tmp/out" \
  && diff -q tests/cli/plan-ref-win10-x64.out "$tmp/plan" > /dev/null
result $? "--verbose names the machine file and the time on stderr; stdout is unchanged"
WSINSTALL_MACHINE=ref:win81-x64 "$exe" catalog show --verbose > /dev/null 2> "$tmp/out"
grep -q "^wsinstall: machine: ref:win81-x64 (from \$WSINSTALL_MACHINE)$" "$tmp/out"
result $? "--verbose after the command, and a machine from \$WSINSTALL_MACHINE"
"$exe" plan --verbose --format=json --machine ref:win10-x64 $manifest > "$tmp/json" 2> "$tmp/out"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(d["format"] != "wsinstall-plan")' "$tmp/json" \
  && grep -q "exit 0 after" "$tmp/out"
result $? "--verbose --format=json: one document on stdout, the lines on stderr"
"$exe" --verbose -V > "$tmp/out" 2>&1
head -n 1 "$tmp/out" | grep -qx "wsinstall [0-9.]*" && grep -q "^libwsinstall " "$tmp/out" \
  && grep -q "^reference catalogs: .*data/reference (\$WSINSTALL_REFERENCE_DIR)$" "$tmp/out"
result $? "--verbose -V adds the library, its dependencies and the reference directory"
[ "$fail" = 0 ]
