#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The man pages, as built: each renders with man(1) at 80 columns without a
# single groff warning, and wsinstall(1) names every command of
# `wsinstall --help` and every option of each command's --help. A page
# with a warning the check could not see would pass silently, so it first
# renders a page with a known fault and requires the warning. TAP output.
#
#   check-man-pages.sh WSINSTALL PAGE...
set -u
exe=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
echo "1..$(($# + 2))"
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; sed 's/^/# /' "$tmp/log"; fail=1; }

# groff's warnings, and nothing of the page (stderr to the pipe, stdout away).
warnings() { { MANWIDTH=80 man --warnings -l "$1" > /dev/null; } 2>&1; }

# The check must be able to fail: an undefined macro is a groff warning.
printf '.TH PROBE 1\n.SH NAME\nprobe \\- a page with a fault\n.XQ no such macro\n' > "$tmp/probe.1"
warnings "$tmp/probe.1" > "$tmp/log"
if grep -q "warning" "$tmp/log"; then
  ok "a page with an undefined macro gives a warning (the check can fail)"
else
  echo "man --warnings printed nothing for an undefined macro" >> "$tmp/log"
  not_ok "a page with an undefined macro gives a warning (the check can fail)"
fi

for page in "$@"; do
  name=$(basename "$page")
  warnings "$page" > "$tmp/log"
  if [ -s "$tmp/log" ]; then
    not_ok "$name renders at 80 columns without warnings"
  else
    ok "$name renders at 80 columns without warnings"
  fi
done

# Coverage: every command and every option it takes appears in
# wsinstall(1), rendered wide so that nothing is hyphenated.
page1=""
for page in "$@"; do
  case "$page" in *.1) page1=$page ;; esac
done
MANWIDTH=1000 man -l "$page1" 2>/dev/null > "$tmp/page.txt"
: > "$tmp/log"
"$exe" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z0-9]*\( [a-z0-9]*\)\{0,1\}\)  .*/\1/p' > "$tmp/commands"
[ -s "$tmp/commands" ] || echo "no commands found in wsinstall --help" >> "$tmp/log"
while read -r cmd; do
  grep -q -- "$cmd" "$tmp/page.txt" || echo "command '$cmd' is not in the page" >> "$tmp/log"
  case "$cmd" in wsc32*) continue ;; esac
  # shellcheck disable=SC2086 # a command's words are separate arguments
  "$exe" $cmd --help | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' | grep -v -e '^--help' > "$tmp/options"
  while read -r opt; do
    grep -q -e "$opt" "$tmp/page.txt" || echo "'$cmd $opt' is not in the page" >> "$tmp/log"
  done < "$tmp/options"
done < "$tmp/commands"
if [ -s "$tmp/log" ]; then
  not_ok "wsinstall(1) names every command and option"
else
  ok "wsinstall(1) names every command and option"
fi
[ "$fail" = 0 ]
