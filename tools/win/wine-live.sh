#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/wine-live.sh: the live backend exercised under Wine through the
# WSC test double (windows/wsc-double/), as TAP.
#
# Wine's own WSC functions succeed without effect, so tools/win/wine-tests.sh
# can only show that wsinstall notices. Here the test builds
# (tools/win/build.sh --test: -Dtest_hooks=true, fault injection) take their
# WSC functions from the double (WSINSTALL_WSC_DLL), which keeps the
# catalogs in Wine's registry the way Windows does, seeded from a reference
# catalog. One command from a fresh Debian 12 machine: it installs what it
# needs (as wine-tests.sh does), builds the x64 and x86 test builds, the x64
# release build and the Linux wsinstall, and checks:
#   - the release build ignores WSINSTALL_WSC_DLL: it sees Wine's stub
#     catalog, not the seeded one, and its apply --live ends in
#     wsc-no-effect;
#   - the seed: `regedit /S` of `wsinstall catalog export --to=reg` of each
#     x64 reference, read back through `regedit /E` and `catalog import
#     --from=reg`, is the reference, and the live view through the double
#     lists its IDs;
#   - for every example manifest on every x64 reference, on one machine
#     per reference: `apply --live` ends as `apply --machine` on the
#     simulated machine does after the same commands (same exit status; the
#     same error tags when refused), and Wine's registry, read back the same
#     way, is `catalog diff`-equivalent to the simulated machine's, with
#     byte-identical PackedCatalogItems and the same counters
#     (tools/win/reg-catalog.py says what is normalised); then `uninstall
#     --live` gives back the reference, byte for byte what the simulated
#     uninstall gives. Installs into the 32-bit catalog go through the x86
#     helper (wsinstall-x86.exe under wine32) and the x86 double;
#   - a stack on win10-x64: four LSPs, one in the 32-bit catalog only (the
#     catalogs' IDs then differ), then removals from the middle, each step
#     compared the same way;
#   - faults on win10-x64, each run from the seed: WSINSTALL_FAULT=fail:N
#     or crash:N at every second WSC operation (and the last) of every
#     manifest that applies (WSI_WINE_LIVE_FAULTS=each: every operation, one
#     kind each; all: both kinds at every operation); after `recover
#     --live` the machine is old or new, and the same as the simulated
#     machine after the same fault and recover, with the same exit statuses;
#   - an MSI (windows/msi/wsinstall-example.wxs built with the WiX piece, the test
#     build's custom action DLL) installed with `wine msiexec /i`: the
#     catalog is the simulated apply's result; `msiexec /x` gives back the
#     reference.
#   - that the 32-bit catalog's installs need the helper: with
#     WSINSTALL_HELPER32 naming no file they fail (helper32-failed) and
#     nothing changes;
#   - the double's own rules, as one-call records through the x86 helper
#     (`wsc32 run`): the WSA codes Windows documents, IDs never reused.
# Everything but the release check and the seeds' read-back needs wine32
# (the x86 helper) and is reported as skipped without it.
# Exit status: 0 all passed, 1 a case failed, 2 something needed is missing.
#
# Environment: WSI_NATIVE (the Linux wsinstall, as in wine-tests.sh),
# WSI_WINE32=no (do not try to install wine32), WSI_WINE_LIVE_FAULTS,
# WSI_WINE_LIVE_TMPDIR (where the Wine prefix lives; default /dev/shm when
# it has 4 GB free: the journal's fsyncs then cost nothing, which matters
# on a loaded machine; durability is the Linux fault matrix's business).
set -u

script=wine-live
# shellcheck source=tools/win/common.sh
. "$(dirname "$0")/common.sh"

# --- what the tests need ----------------------------------------------------
"$root/tools/dev" deps || { log "tools/dev deps failed"; exit 2; }
need_packages wine wine64 msitools wixl python3 binutils-mingw-w64-i686 binutils-mingw-w64-x86-64
install_wine32 "the cases that need the x86 helper are"

# --- builds -----------------------------------------------------------------
for build in "--test x86_64" "--test i686" "x86_64"; do
  log "building $build"
  # shellcheck disable=SC2086
  if ! "$here/build.sh" $build > /dev/null; then
    log "tools/win/build.sh $build failed"
    exit 2
  fi
done
native_wsinstall
built=$(date +%s)

t64=$root/build-win-x86_64-test
t86=$root/build-win-i686-test
release=$root/build-win-x86_64/tools/wsinstall.exe
regcat="python3 $here/reg-catalog.py"

tmpbase=${WSI_WINE_LIVE_TMPDIR:-}
if [ -z "$tmpbase" ]; then
  tmpbase=${TMPDIR:-/tmp}
  shm_free=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
  [ "${shm_free:-0}" -ge 4194304 ] 2>/dev/null && tmpbase=/dev/shm
fi
scratch=$(mktemp -d "$tmpbase/wine-live.XXXXXX") || exit 2
trap 'wineserver -k 2>/dev/null; rm -rf "$scratch"' EXIT
# dash runs the EXIT trap on exit only: a signal goes through exit.
trap 'exit 1' INT TERM HUP
wine_prefix "$scratch/prefix"
# A server that stays between the many short wine runs: each starts faster.
# Not holding our stdout: a pipe reading this script would never end.
wineserver -p > /dev/null 2>&1 < /dev/null || true

# As a vendor ships it (the x86 build beside the x64 one as
# wsinstall-x86.exe), and the double where ws2_32 would be: one name, which
# WOW64's file system redirection turns into the x86 double for the x86
# helper.
stage=$scratch/stage
mkdir -p "$stage"
cp "$t64/tools/wsinstall.exe" "$stage/wsinstall.exe"
cp "$t86/tools/wsinstall.exe" "$stage/wsinstall-x86.exe"
cp "$t64/windows/wsc-double/wsi-wsc-double.dll" "$WINEPREFIX/drive_c/windows/system32/wsi-wsc-double.dll"
cp "$t86/windows/wsc-double/wsi-wsc-double.dll" "$WINEPREFIX/drive_c/windows/syswow64/wsi-wsc-double.dll"
export WSINSTALL_WSC_DLL='C:\windows\system32\wsi-wsc-double.dll'
journals=$WINEPREFIX/drive_c/ProgramData/wsinstall/journals

# A Linux path as Wine names it (drive Z: is /).
wpath() { printf 'Z:%s' "$1" | tr / "\\\\"; }
services='HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services'

# --- the simulated machine's side (Linux) -------------------------------------
x64_refs="win10-x64 win10-1709-x64 win81-x64"
fault_ref=win10-x64
manifests=$(find manifests -maxdepth 1 -name '*.xml' | sed 's|^manifests/||' | LC_ALL=C sort)
sim=$scratch/sim
mkdir -p "$sim"

# tags FILE: the error tags of a diagnostics text, sorted, one line.
tags() { grep -o 'error \[[a-z0-9-]*\]' "$1" 2>/dev/null | LC_ALL=C sort -u | tr '\n' ' '; }

# roundtrip REG XML: the machine a .reg file holds, as the importer reads it.
roundtrip() { "$native" catalog import --from=reg "$1" -o "$2" > /dev/null 2>> "$sim/errors"; }

# The number of WSC operations of a fault-free apply: with fail:N past the
# last one, the apply succeeds.
count_ops() {
  k=1
  while [ "$k" -le 64 ]; do
    cp "data/reference/$1.xml" "$sim/probe.xml"
    rm -f "$sim/probe.xml.journal"
    WSINSTALL_FAULT=fail:$k "$native" apply --machine "$sim/probe.xml" "manifests/$2" > /dev/null 2>&1 && break
    k=$((k + 1))
  done
  echo $((k - 1))
}

# Which operations get a fault (WSI_WINE_LIVE_FAULTS): "slice" (default)
# every second one, 1, 3, 5, ... and the last, fail and crash taking turns;
# "each" every operation, the kinds taking turns; "all" both kinds at every
# operation; "none" no faults (a quick run of the other cases). The Linux
# fault matrix has the rest; each run here costs Wine
# process starts (a few seconds on a loaded machine).
fault_mode=${WSI_WINE_LIVE_FAULTS:-slice}
case $fault_mode in
  slice|each|all|none) ;;
  *) log "WSI_WINE_LIVE_FAULTS must be slice, each, all or none"; exit 2 ;;
esac
fault_kinds() { # fault_kinds N LAST: the kinds for operation N of LAST
  case $fault_mode in
    all) echo "fail crash" ;;
    none) ;;
    each) if [ $(($1 % 2)) = 1 ]; then echo fail; else echo crash; fi ;;
    slice)
      if [ $(($1 % 4)) = 1 ]; then echo fail
      elif [ $(($1 % 4)) = 3 ] || [ "$1" = "$2" ]; then echo crash
      fi ;;
  esac
}

# sim_step DIR NAME VERB MANIFEST: VERB (apply or uninstall) on DIR/m.xml,
# its exit status, stderr and resulting machine (.reg and read back) kept
# as DIR/NAME.*.
sim_step() {
  "$native" "$3" --machine "$1/m.xml" "manifests/$4" > "$1/$2.out" 2> "$1/$2.err"
  echo $? > "$1/$2.rc"
  "$native" catalog export --to=reg "$1/m.xml" -o "$1/$2.reg" > /dev/null 2>> "$sim/errors"
  roundtrip "$1/$2.reg" "$1/$2.xml"
}

fault_cases=""
n_apply=0
n_uninstall=0
for ref in $x64_refs; do
  d=$sim/$ref
  mkdir -p "$d"
  "$native" catalog export --to=reg "data/reference/$ref.xml" -o "$d/seed.reg" > /dev/null 2>> "$sim/errors" ||
    { log "exporting $ref failed"; cat "$sim/errors" >&2; exit 2; }
  roundtrip "$d/seed.reg" "$d/seed.xml" || { log "importing $ref's export failed"; exit 2; }
  # One machine for all the manifests, as the live side has: each apply is
  # followed by its uninstall, and the ID counter runs on.
  cp "data/reference/$ref.xml" "$d/m.xml"
  for m in $manifests; do
    sim_step "$d" "${m%.xml}.apply" apply "$m"
    n_apply=$((n_apply + 1))
    [ "$(cat "$d/${m%.xml}.apply.rc")" = 0 ] || continue
    sim_step "$d" "${m%.xml}.uninstall" uninstall "$m"
    n_uninstall=$((n_uninstall + 1))
    [ "$ref" = "$fault_ref" ] || continue
    # Faults start from the reference each.
    c=$d/${m%.xml}
    mkdir -p "$c"
    cp "data/reference/$ref.xml" "$c/m.xml"
    sim_step "$c" apply apply "$m"
    ops=$(count_ops "$ref" "$m")
    i=0
    while [ "$i" -lt "$ops" ]; do
      i=$((i + 1))
      for kind in $(fault_kinds "$i" "$ops"); do
        f=$c/fault-$kind-$i
        mkdir -p "$f"
        cp "data/reference/$ref.xml" "$f/m.xml"
        WSINSTALL_FAULT=$kind:$i "$native" apply --machine "$f/m.xml" "manifests/$m" > /dev/null 2>&1
        echo $? > "$f/apply.rc"
        "$native" recover --machine "$f/m.xml" > /dev/null 2>&1
        echo $? > "$f/recover.rc"
        "$native" catalog export --to=reg "$f/m.xml" -o "$f/after.reg" > /dev/null 2>> "$sim/errors"
        roundtrip "$f/after.reg" "$f/after.xml"
        fault_cases="$fault_cases $m:$kind:$i"
      done
    done
  done
done

# Stacked: LSPs over LSPs, one of them in the 32-bit catalog only, so that
# the two catalogs' IDs differ and every chain must come from its own
# catalog; then removals from the middle of the stack.
stack_steps="apply:contoso-parental-x86 apply:contoso-web-filter apply:woodgrove-stacked-layers
  apply:fabrikam-ifs-redirector uninstall:contoso-web-filter uninstall:contoso-parental-x86
  uninstall:fabrikam-ifs-redirector uninstall:woodgrove-stacked-layers"
stack=$sim/stack
mkdir -p "$stack"
cp "data/reference/$fault_ref.xml" "$stack/m.xml"
k=0
for step in $stack_steps; do
  k=$((k + 1))
  sim_step "$stack" "$k" "${step%%:*}" "${step#*:}.xml"
done
n_stack=$k

# One regedit /S puts the registry back to a seed: Protocol_Catalog9, and
# whatever another reference's seed or any manifest's apply adds, are
# deleted first.
for ref in $x64_refs; do
  # shellcheck disable=SC2046 # one argument per file; the paths have no blanks
  $regcat reset "$sim/$ref/seed.reg" $(find "$sim" -name seed.reg -o -name '*apply.reg' -o -path "$stack/*.reg" |
                                       LC_ALL=C sort) \
    > "$sim/$ref/reset.reg"
done
n_fault=$(echo "$fault_cases" | wc -w)
prepared=$(date +%s)

# --- TAP --------------------------------------------------------------------
total=$((2 + 2 * 3 + n_apply + n_uninstall + n_stack + 1 + 7 + n_fault + 3))
echo "1..$total"
n=0
failed=0
skipped=0
note() { printf '%s\n' "$*" >> "$scratch/err"; }

# run EXE ARGS...: the command's stdout in out, stderr in err, status in rc.
run() {
  wine "$@" > "$scratch/out" 2> "$scratch/err" < /dev/null
  rc=$?
}

# reseed REF: Wine's registry as the seeded reference, no journals left.
reseed() {
  rm -f "$journals"/*.journal
  wine regedit /S "$(wpath "$sim/$1/reset.reg")" > /dev/null 2>&1
}

# live_state NAME: Wine's Services key exported (NAME.reg) and imported
# (NAME.xml) into $scratch.
live_state() {
  rm -f "$scratch/$1.reg" "$scratch/$1.xml"
  wine regedit /E "$(wpath "$scratch/$1.reg")" "$services" > /dev/null 2>&1 &&
    "$native" catalog import --from=reg "$scratch/$1.reg" -o "$scratch/$1.xml" > /dev/null 2>> "$scratch/err"
}

# same_state LIVE SIMXML SIMREG: the live state (live_state LIVE) is
# catalog diff-equivalent to SIMXML and has SIMREG's catalog items
# (reg-catalog.py items), byte for byte; what differs goes to err.
same_state() {
  "$native" catalog diff "$2" "$scratch/$1.xml" > "$scratch/diff" 2>&1 ||
    { note "catalog diff $(basename "$(dirname "$2")")/$(basename "$2") live:"; sed 's/^/  /' "$scratch/diff" | grep -v '(not a difference)' >> "$scratch/err"; return 1; }
  $regcat items "$3" > "$scratch/items.sim"
  $regcat items "$scratch/$1.reg" > "$scratch/items.live"
  if ! cmp -s "$scratch/items.sim" "$scratch/items.live"; then
    note "Protocol_Catalog9 items differ (< simulated, > live):"
    diff "$scratch/items.sim" "$scratch/items.live" | cut -c1-160 | head -12 >> "$scratch/err"
    return 1
  fi
}

wine_ids='1001 1002 1004 1005 1030 1031 1033'
catalog_ids() {
  python3 -c '
import json, sys
m = json.load(sys.stdin)
for c in m["catalogs"]:
    print("%d: %s" % (c["catalog"], " ".join(str(e["id"]) for e in c["entries"])))
' < "$1"
}

# 1-2. The release build never loads the DLL the variable names: with the
# double seeded and WSINSTALL_WSC_DLL set, it sees Wine's stubs.
rm -f "$scratch/err" "$scratch/out"
reseed win10-x64
run "$release" catalog show --live --format json
ids=$(catalog_ids "$scratch/out" 2>/dev/null)
[ "$rc" = 0 ] && [ "$ids" = "$(printf '64: %s\n32: %s' "$wine_ids" "$wine_ids")" ] && ! grep -q "test double" "$scratch/out"
check $? "release wsinstall.exe with WSINSTALL_WSC_DLL set lists Wine's stub catalog ($wine_ids), not the seeded one"
run "$release" apply --live manifests/contoso-web-filter.xml
# ... and the variable's name is nowhere in the release files: the code
# that reads it is not compiled in (the test build has it).
for bin in "$release" "$(dirname "$release")/../windows/msi/wsinstall-ca.dll"; do
  note "$(basename "$bin") mentions WSINSTALL_WSC_DLL $(grep -ac WSINSTALL_WSC_DLL "$bin") times"
done
[ "$rc" = 1 ] && grep -q "error \[wsc-no-effect\]" "$scratch/err" &&
  ! grep -aq WSINSTALL_WSC_DLL "$release" && ! grep -aq WSINSTALL_WSC_DLL "$(dirname "$release")/../windows/msi/wsinstall-ca.dll" &&
  grep -aq WSINSTALL_WSC_DLL "$stage/wsinstall.exe"
check $? "release wsinstall.exe with WSINSTALL_WSC_DLL set: apply --live still ends in wsc-no-effect from Wine's stubs (exit 1); the release files do not contain the variable's name"

# Per x64 reference: the seed read back (regedit /E, catalog import) is the
# reference, the test build sees it through the double; then every example
# manifest, apply --live and uninstall --live in turn on the same machine,
# each compared with the simulated machine after the same commands.
live_applies=0
live_uninstalls=0
for ref in $x64_refs; do
  d=$sim/$ref
  rm -f "$scratch/err" "$scratch/out"
  reseed "$ref"
  live_state seed && same_state seed "$d/seed.xml" "$d/seed.reg" &&
    "$native" catalog diff "data/reference/$ref.xml" "$scratch/seed.xml" > /dev/null 2>> "$scratch/err"
  check $? "$ref seeded into Wine's registry reads back as the reference (regedit /E, catalog import)"
  if [ "$have_wine32" = yes ]; then
    run "$stage/wsinstall.exe" catalog show --live --format json
    catalog_ids "$scratch/out" > "$scratch/ids.live" 2>/dev/null
    "$native" catalog show --machine "data/reference/$ref.xml" --format json > "$scratch/ref.json" 2>/dev/null
    catalog_ids "$scratch/ref.json" > "$scratch/ids.ref" 2>/dev/null
    [ "$rc" = 0 ] && cmp -s "$scratch/ids.live" "$scratch/ids.ref" && grep -q "test double" "$scratch/out"
    check $? "$ref: the test build's catalog show --live lists the seeded catalogs through the double"
  else
    skip "$ref: the test build's catalog show --live lists the seeded catalogs through the double" "no wine32"
  fi
  for m in $manifests; do
    b=$d/${m%.xml}
    want=$(cat "$b.apply.rc")
    name="$ref $m: apply --live"
    if [ "$have_wine32" = no ]; then
      skip "$name" "no wine32"
      [ "$want" = 0 ] && skip "$ref $m: uninstall --live" "no wine32"
      continue
    fi
    rm -f "$scratch/err" "$scratch/out"
    run "$stage/wsinstall.exe" apply --live "manifests/$m"
    live_rc=$rc
    cp "$scratch/err" "$scratch/apply.err"
    note "exit $live_rc (simulated: $want); tags: $(tags "$scratch/apply.err")(simulated: $(tags "$b.apply.err"))"
    if [ "$want" = 0 ]; then
      [ "$live_rc" = 0 ] && live_state apply && same_state apply "$b.apply.xml" "$b.apply.reg"
      check $? "$name equals the simulated apply (catalog diff, PackedCatalogItems byte for byte)"
    else
      [ "$live_rc" = "$want" ] && [ "$(tags "$scratch/apply.err")" = "$(tags "$b.apply.err")" ] &&
        live_state apply && same_state apply "$b.apply.xml" "$b.apply.reg"
      check $? "$name is refused as on the simulated machine (exit $want, $(tags "$b.apply.err")), nothing changed"
    fi
    live_applies=$((live_applies + 1))
    [ "$want" = 0 ] || continue
    rm -f "$scratch/err" "$scratch/out"
    run "$stage/wsinstall.exe" uninstall --live "manifests/$m"
    note "exit $rc (simulated: $(cat "$b.uninstall.rc"))"
    [ "$rc" = "$(cat "$b.uninstall.rc")" ] && [ "$rc" = 0 ] && live_state uninstall &&
      same_state uninstall "$b.uninstall.xml" "$b.uninstall.reg" &&
      "$native" catalog diff "data/reference/$ref.xml" "$scratch/uninstall.xml" > /dev/null 2>> "$scratch/err"
    check $? "$ref $m: uninstall --live gives back the reference, as the simulated uninstall does"
    live_uninstalls=$((live_uninstalls + 1))
  done
done

# The stacked installs and removals, step by step.
k=0
[ "$have_wine32" = yes ] && reseed "$fault_ref"
for step in $stack_steps; do
  k=$((k + 1))
  verb=${step%%:*}
  m=${step#*:}.xml
  name="$fault_ref stacked, step $k: $verb --live $m"
  if [ "$have_wine32" = no ]; then
    skip "$name" "no wine32"
    continue
  fi
  rm -f "$scratch/err" "$scratch/out"
  run "$stage/wsinstall.exe" "$verb" --live "manifests/$m"
  note "exit $rc (simulated: $(cat "$stack/$k.rc"))"
  [ "$rc" = "$(cat "$stack/$k.rc")" ] && live_state stack && same_state stack "$stack/$k.xml" "$stack/$k.reg" &&
    { [ "$k" != "$n_stack" ] ||
      "$native" catalog diff "data/reference/$fault_ref.xml" "$scratch/stack.xml" > /dev/null 2>> "$scratch/err"; }
  check $? "$name equals the simulated machine after the same steps$([ "$k" = "$n_stack" ] && echo ', and the reference')"
  if [ "$verb" = apply ]; then live_applies=$((live_applies + 1)); else live_uninstalls=$((live_uninstalls + 1)); fi
done

# The x64 double has no WSCInstallProvider32 (nor has ws2_32): a
# 32-bit-catalog install is made by the x86 helper or not at all.
name="$fault_ref: apply --live of a 32-bit-catalog manifest with WSINSTALL_HELPER32 naming no file: helper32-failed, nothing changed"
if [ "$have_wine32" = yes ]; then
  rm -f "$scratch/err" "$scratch/out"
  WSINSTALL_HELPER32='C:\no\such\wsinstall-x86.exe' wine "$stage/wsinstall.exe" apply --live \
    manifests/contoso-parental-x86.xml > "$scratch/out" 2> "$scratch/err" < /dev/null
  rc=$?
  [ "$rc" = 1 ] && grep -q "error \[helper32-failed\]" "$scratch/err" && live_state helper &&
    same_state helper "$stack/$n_stack.xml" "$stack/$n_stack.reg"
  check $? "$name"
else
  skip "$name" "no wine32"
fi

# The double's own rules, through the x86 helper's one-call records
# (`wsc32 run`) on the x86 double: what Windows documents for each error.
# helper_call NAME JSON: the call's answer in out, its status in rc.
helper_call() {
  printf '%s\n' "$2" > "$scratch/call.json"
  wine "$stage/wsinstall-x86.exe" wsc32 run --call "$(wpath "$scratch/call.json")" > "$scratch/out" 2> "$scratch/err" < /dev/null
  rc=$?
  note "$1: exit $rc, answer $(cat "$scratch/out")"
}
wsa_code() { [ "$rc" = 1 ] && grep -q "\"domain\":\"wsa\",\"code\":$1," "$scratch/out"; }
layer=$(cat tests/data/helper32/install-layered.json)
test_guid='{5D2B7A1C-3E4F-4B6A-9C8D-1E2F3A4B5C6D}'
other_guid='{5D2B7A1C-3E4F-4B6A-9C8D-1E2F3A4B5C6E}'
chain_to() { # chain_to IDS: the test layer as a chain of those IDs (ChainLen 2), under another GUID
  printf '%s' "$layer" | sed -e "s/$test_guid/$other_guid/" -e 's/"chain_len":0/"chain_len":2/' \
    -e "s/\"chain\":\[0,0,0,0,0,0,0\]/\"chain\":[$1,0,0,0,0,0]/"
}
double_cases="install|reinstall|deinstall-unknown|order-count|chain-missing|chain-base-on-top|deinstall"
for dc in $(echo "$double_cases" | tr '|' ' '); do
  name="x86 double: $dc"
  if [ "$have_wine32" = no ]; then
    skip "$name" "no wine32"
    continue
  fi
  rm -f "$scratch/err" "$scratch/out"
  case $dc in
    install)
      live_state before-double
      helper_call "$dc" "$layer"
      [ "$rc" = 0 ] && grep -q '"status":"ok"' "$scratch/out"
      check $? "x86 double: WSCInstallProvider of a layered entry succeeds" ;;
    reinstall)
      helper_call "$dc" "$layer"
      wsa_code 11003
      check $? "x86 double: WSCInstallProvider of an installed GUID: WSANO_RECOVERY (11003)" ;;
    deinstall-unknown)
      helper_call "$dc" "{\"call\":\"WSCDeinstallProvider\",\"catalog\":32,\"guid\":\"$other_guid\"}"
      wsa_code 10022
      check $? "x86 double: WSCDeinstallProvider of a GUID not installed: WSAEINVAL (10022)" ;;
    order-count)
      helper_call "$dc" '{"call":"WSCWriteProviderOrder","catalog":32,"order":[1001]}'
      wsa_code 10022
      check $? "x86 double: WSCWriteProviderOrder naming one ID of many: WSAEINVAL (10022)" ;;
    chain-missing)
      helper_call "$dc" "$(chain_to "4000000000,1006")"
      wsa_code 10022
      check $? "x86 double: WSCInstallProvider of a chain naming an ID the catalog does not have: WSAEINVAL (10022)" ;;
    chain-base-on-top)
      helper_call "$dc" "$(chain_to "1006,1007")"
      wsa_code 10022
      check $? "x86 double: WSCInstallProvider of a chain with a base entry on top: WSAEINVAL (10022)" ;;
    deinstall)
      helper_call "$dc" "{\"call\":\"WSCDeinstallProvider\",\"catalog\":32,\"guid\":\"$test_guid\"}"
      # Back to the entries of before, the counter one further: IDs are
      # never reused.
      $regcat items "$scratch/before-double.reg" | sed 's/^\(next_catalog_entry_id\) dword:\(.*\)/\1 \2/' > "$scratch/items.before"
      [ "$rc" = 0 ] && live_state after-double && $regcat items "$scratch/after-double.reg" > "$scratch/items.after" &&
        "$native" catalog diff "$scratch/before-double.xml" "$scratch/after-double.xml" > /dev/null 2>> "$scratch/err" &&
        next_before=$(sed -n 's/^next_catalog_entry_id \(.*\)/\1/p' "$scratch/items.before") &&
        [ "$(grep -v '^next_catalog_entry_id' "$scratch/items.before")" = "$(grep -v '^next_catalog_entry_id' "$scratch/items.after")" ] &&
        [ "$(grep '^next_catalog_entry_id' "$scratch/items.after")" = "$(printf 'next_catalog_entry_id dword:%08x' $((0x$next_before + 1)))" ]
      check $? "x86 double: WSCDeinstallProvider gives the catalog back, the ID counter one further (IDs are never reused)" ;;
  esac
done

# Faults through the live backend, each followed by recover --live.
live_faults=0
for fc in $fault_cases; do
  m=${fc%%:*}
  rest=${fc#*:}
  kind=${rest%%:*}
  i=${rest#*:}
  c=$sim/$fault_ref/${m%.xml}
  f=$c/fault-$kind-$i
  name="$fault_ref $m: WSINSTALL_FAULT=$kind:$i apply --live, recover --live"
  if [ "$have_wine32" = no ]; then
    skip "$name" "no wine32"
    continue
  fi
  rm -f "$scratch/err" "$scratch/out"
  reseed "$fault_ref"
  WSINSTALL_FAULT=$kind:$i wine "$stage/wsinstall.exe" apply --live "manifests/$m" > "$scratch/out" 2> "$scratch/apply.err" < /dev/null
  arc=$?
  run "$stage/wsinstall.exe" recover --live
  note "apply exit $arc (simulated: $(cat "$f/apply.rc")), recover exit $rc (simulated: $(cat "$f/recover.rc"))"
  head -3 "$scratch/apply.err" >> "$scratch/err"
  state=none
  if [ "$arc" = "$(cat "$f/apply.rc")" ] && [ "$rc" = "$(cat "$f/recover.rc")" ] && live_state fault &&
     same_state fault "$f/after.xml" "$f/after.reg"; then
    if "$native" catalog diff "$sim/$fault_ref/seed.xml" "$scratch/fault.xml" > /dev/null 2>&1; then
      state=old
    elif "$native" catalog diff "$c/apply.xml" "$scratch/fault.xml" > /dev/null 2>&1; then
      state=new
    fi
  fi
  [ "$state" != none ]
  check $? "$name: $state, as on the simulated machine"
  live_faults=$((live_faults + 1))
done

# MSI: the example package (windows/msi/wsinstall-example.wxs, built with the
# WiX piece's wsinstall-wixl.py: the web filter and the vsock transport, one
# component each) with the test build's custom action DLL under wine
# msiexec, the variable inherited by the msiexec server that runs the
# deferred actions.
build_msi() {
  dir=$1
  mkdir -p "$dir"
  cp manifests/contoso-web-filter.xml "$dir/web-filter.xml"
  cp tests/data/msi/vsock-transport.xml "$dir/vsock-transport.xml"
  cp "$t64/windows/msi/wsinstall-ca.dll" "$dir/wsinstall-ca.dll"
  cp "$t86/tools/wsinstall.exe" "$dir/wsinstall-x86.exe"
  (cd "$dir" && "$root/windows/msi/wsinstall-wixl.py" -a x64 -D ProductVersion=2.1.0 -D SourceDir=. \
     -D WsinstallCaDll=wsinstall-ca.dll -o product.msi "$root/windows/msi/wsinstall-example.wxs") \
    >> "$scratch/err" 2>&1
}
# sim_msi DIR NAME COMMAND: the simulated machine after COMMAND (apply or
# uninstall) of the package's manifests, in the order of the
# WsinstallManifest rows (Filter, Transport), which the scheduler follows.
sim_msi() {
  for m in manifests/contoso-web-filter.xml tests/data/msi/vsock-transport.xml; do
    "$native" "$3" --machine "$1/m.xml" "$m" >> "$1/$2.out" 2>> "$1/$2.err"
  done
  "$native" catalog export --to=reg "$1/m.xml" -o "$1/$2.reg" > /dev/null 2>> "$sim/errors"
  roundtrip "$1/$2.reg" "$1/$2.xml"
}
msi_case() {
  (cd "$msidir" && wine msiexec "$1" product.msi /qn /l*v "$2.log") > "$scratch/out" 2> "$scratch/err"
  rc=$?
  grep -a "wsinstall:" "$msidir/$2.log" 2>/dev/null | head -20 >> "$scratch/err"
}
msidir=$scratch/msi
msiman="web filter + vsock transport"
c=$sim/$fault_ref/msi
mkdir -p "$c"
# The simulated uninstall after the apply from the reference.
cp "data/reference/$fault_ref.xml" "$c/m.xml"
sim_msi "$c" apply apply
sim_msi "$c" uninstall uninstall
rm -f "$scratch/err" "$scratch/out"
if [ "$have_wine32" = no ]; then
  skip "the example MSI builds with the test custom action DLL" "no wine32"
  skip "msiexec /i with the double: the catalog is the simulated apply's result" "no wine32"
  skip "msiexec /x with the double: the catalog is the reference again" "no wine32"
elif build_msi "$msidir"; then
  ok "the example MSI builds with the test custom action DLL"
  rm -f "$scratch/err" "$scratch/out"
  reseed "$fault_ref"
  msi_case /i install
  [ "$rc" = 0 ] && live_state msi-install && same_state msi-install "$c/apply.xml" "$c/apply.reg"
  check $? "msiexec /i with the double ($fault_ref, $msiman): the catalog is the simulated apply's result"
  rm -f "$scratch/err" "$scratch/out"
  msi_case /x uninstall
  [ "$rc" = 0 ] && live_state msi-uninstall && same_state msi-uninstall "$c/uninstall.xml" "$c/uninstall.reg"
  check $? "msiexec /x with the double: the catalog is the reference again, as the simulated uninstall leaves it"
else
  not_ok "the example MSI builds with the test custom action DLL"
  skip "msiexec /i with the double: the catalog is the simulated apply's result" "the MSI was not built"
  skip "msiexec /x with the double: the catalog is the reference again" "the MSI was not built"
fi

ended=$(date +%s)
log "install+build $((built - started)) s, simulated side $((prepared - built)) s, Wine cases $((ended - prepared)) s, total $((ended - started)) s"
echo "wine-live: $((n - failed - skipped)) passed, $failed failed, $skipped skipped;" \
  "live applies $live_applies, uninstalls $live_uninstalls, faulted runs $live_faults"
[ "$n" = "$total" ] || { echo "wine-live: ran $n cases of $total"; exit 1; }
[ "$failed" = 0 ]
