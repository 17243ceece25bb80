#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The schema as editors and other tools see it: xmllint validates every
# example and good fixture against schema/manifest.xsd, finding the schema
# through schema/catalog.xml by the manifest's namespace, and refuses the
# fixtures of undeclared references and duplicate ids by the XSD's keys
# alone. TAP output; skipped without xmllint.
set -u
root=$1
cd "$root" || exit 1
if ! command -v xmllint > /dev/null 2>&1; then
  echo "1..0 # SKIP xmllint not found"
  exit 0
fi
export XML_CATALOG_FILES="$root/schema/catalog.xml"
n=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; sed 's/^/# /' "$out"; }
for f in manifests/*.xml tests/data/manifests/good/*.xml; do
  if xmllint --noout --nonet --schema urn:wsinstall:manifest:1 "$f" > "$out" 2>&1; then
    ok "$f validates"
  else
    not_ok "$f does not validate"
  fi
done
for f in tests/data/manifests/bad/reference-undeclared-layer.xml tests/data/manifests/bad/reference-undeclared-provider.xml \
         tests/data/manifests/bad/reference-undeclared-chains-of.xml tests/data/manifests/bad/duplicate-id.xml; do
  if ! xmllint --noout --nonet --schema urn:wsinstall:manifest:1 "$f" > "$out" 2>&1 && grep -q "key" "$out"; then
    ok "$f is refused by a key of the schema"
  else
    not_ok "$f is not refused by a key of the schema"
  fi
done
echo "1..$n"
exit $fail
