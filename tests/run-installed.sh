#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# wsinstall as installed, away from the checkout: `meson install --destdir`
# into a scratch directory, then the installed program run from another
# scratch directory with WSINSTALL_REFERENCE_DIR unset. It finds the
# reference catalogs installed beside it (the configured prefix does not
# exist: the files are under the destdir), plans against ref:win10-x64 and
# lists the references exactly as the golden tests from the build tree
# say, and refuses to apply to one. The man pages and the bash completion
# are where man and bash-completion look. TAP output.
#
#   run-installed.sh BUILD-DIR SOURCE-ROOT
set -u
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..6"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); echo "not ok $n - $*"; sed 's/^/# /' "$tmp/log"; exit 1; }

meson install -C "$build" --destdir "$tmp/dest" --no-rebuild --quiet > "$tmp/log" 2>&1 || fail "meson install"
exe=$(find "$tmp/dest" -path '*/bin/wsinstall' -type f | head -n 1)
[ -n "$exe" ] || { echo "no bin/wsinstall under the destdir" > "$tmp/log"; fail "wsinstall installed"; }
prefix=${exe%/bin/wsinstall}
ls "$prefix/share/wsinstall/reference" > "$tmp/log" 2>&1 && [ -f "$prefix/share/wsinstall/reference/win10-x64.xml" ] \
  || fail "the reference catalogs are installed in share/wsinstall/reference"
ok "the reference catalogs are installed in share/wsinstall/reference"

# Away from the checkout: a manifest copied to a directory of its own, so
# the plan names it as the golden output does.
mkdir -p "$tmp/run/manifests"
cp "$src/manifests/contoso-web-filter.xml" "$tmp/run/manifests/"
cd "$tmp/run" || exit 1
unset WSINSTALL_REFERENCE_DIR WSINSTALL_MACHINE
"$exe" plan --machine ref:win10-x64 manifests/contoso-web-filter.xml > "$tmp/out" 2> "$tmp/log" \
  && diff -u "$src/tests/cli/plan-ref-win10-x64.out" "$tmp/out" >> "$tmp/log" \
  || fail "the installed wsinstall plans against ref:win10-x64 from outside the checkout"
ok "the installed wsinstall plans against ref:win10-x64 from outside the checkout"
"$exe" catalog list > "$tmp/out" 2> "$tmp/log" && diff -u "$src/tests/cli/catalog-list.out" "$tmp/out" >> "$tmp/log" \
  && "$exe" --verbose -V > "$tmp/log" 2>&1 && grep -q "^reference catalogs: .* (installed beside this program)$" "$tmp/log" \
  || fail "catalog list finds the references installed beside the program"
ok "catalog list finds the references installed beside the program"
cp "$prefix/share/wsinstall/reference/win10-x64.xml" "$tmp/before.xml"
"$exe" apply --machine ref:win10-x64 manifests/contoso-web-filter.xml > "$tmp/log" 2>&1
rc=$?
{ [ "$rc" = 2 ] && grep -q "error \[reference-read-only\]" "$tmp/log" \
    && cmp -s "$tmp/before.xml" "$prefix/share/wsinstall/reference/win10-x64.xml" \
    && [ -z "$(find "$prefix/share/wsinstall/reference" ! -type d ! -name '*.xml' ! -name README.md)" ]; } \
  || { echo "exit $rc" >> "$tmp/log"; fail "apply refuses ref:win10-x64 and leaves it as it was"; }
ok "apply refuses ref:win10-x64 and leaves it as it was"

man1=$(find "$tmp/dest" -path '*/man/man1/wsinstall.1' | head -n 1)
man5=$(find "$tmp/dest" -path '*/man/man5/wsinstall-manifest.5' | head -n 1)
if [ -n "$man1" ] && [ -n "$man5" ]; then
  ok "the man pages are installed in man1 and man5"
else
  find "$tmp/dest" -name '*.[15]' > "$tmp/log"
  # Without scdoc (-Dman=auto) there are none to install.
  if [ -z "$(find "$build/man" -name 'wsinstall*.[15]' 2>/dev/null)" ]; then
    ok "the man pages are installed in man1 and man5 # SKIP not built (no scdoc)"
  else
    fail "the man pages are installed in man1 and man5"
  fi
fi
completion=$(find "$tmp/dest" -path '*/bash-completion/completions/wsinstall' | head -n 1)
[ -n "$completion" ] && case $completion in "$prefix"/share/*) true ;; *) false ;; esac \
  || { find "$tmp/dest" -name wsinstall > "$tmp/log"; fail "the bash completion is installed under the prefix's share/bash-completion/completions"; }
ok "the bash completion is installed under the prefix's share/bash-completion/completions"
