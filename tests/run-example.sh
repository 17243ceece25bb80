#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The public API as a vendor meets it: install the build into a scratch
# prefix, build examples/install-with-session.c against the installed
# headers and pkg-config file only (no source tree on the include path),
# and run it on a copy of a reference machine: install, install again
# (nothing to do), uninstall, and the machine is the reference again
# (`catalog diff`). TAP output.
set -u
build=$1
src=$2
wsinstall=$3
# A sanitized library needs a sanitized program (ASan's run-time).
sanitize=${4:-none}
cc=${CC:-cc}
extra=""
[ "$sanitize" != none ] && [ -n "$sanitize" ] && extra="-fsanitize=$sanitize"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..5"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); echo "not ok $n - $*"; sed 's/^/# /' "$tmp/log"; exit 1; }

meson install -C "$build" --destdir "$tmp/dest" --no-rebuild --quiet > "$tmp/log" 2>&1 || fail "meson install"
pc=$(find "$tmp/dest" -name wsinstall.pc | head -n 1)
[ -n "$pc" ] || { echo "no wsinstall.pc installed" > "$tmp/log"; fail "pkg-config file installed"; }
# The .pc names the configured prefix; the files are under the destdir:
# a copy of it points there (--define-variable would move glib's too).
mkdir "$tmp/pc"
prefix=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=prefix wsinstall)
sed "s|^prefix=.*|prefix=$tmp/dest$prefix|" "$pc" > "$tmp/pc/wsinstall.pc"
flags=$(PKG_CONFIG_PATH=$tmp/pc pkg-config --cflags --libs wsinstall)
libdir=$(PKG_CONFIG_PATH=$tmp/pc pkg-config --variable=libdir wsinstall)
# shellcheck disable=SC2086 # pkg-config's flags are words
"$cc" -std=c11 -Wall -Wextra -Werror $extra -o "$tmp/example" "$src/examples/install-with-session.c" $flags \
  > "$tmp/log" 2>&1 || fail "the example builds against the installed headers and pkg-config file"
ok "the example builds against the installed headers and pkg-config file"

cp "$src/data/reference/win10-x64.xml" "$tmp/machine.xml"
run() { LD_LIBRARY_PATH="$libdir" "$tmp/example" "$@" > "$tmp/log" 2>&1; }
run "$tmp/machine.xml" "$src/manifests/contoso-web-filter.xml" && grep -q "^committed: " "$tmp/log" \
  || fail "install commits"
ok "install commits"
run "$tmp/machine.xml" "$src/manifests/contoso-web-filter.xml" && grep -q "^nothing to do" "$tmp/log" \
  || fail "a second install has nothing to do"
ok "a second install has nothing to do"
run --uninstall "$tmp/machine.xml" "$src/manifests/contoso-web-filter.xml" && grep -q "^committed: " "$tmp/log" \
  || fail "uninstall commits"
ok "uninstall commits"
"$wsinstall" catalog diff "$src/data/reference/win10-x64.xml" "$tmp/machine.xml" > "$tmp/log" 2>&1 \
  || fail "the machine is the reference again"
ok "the machine is the reference again"
