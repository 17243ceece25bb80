#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/wine-msi.sh: the reusable WiX piece (windows/msi/wsinstall.wxi,
# wsinstall-wixl.py) under `wine msiexec`, as TAP.
#
# One command from a fresh Debian 12 machine: installs what it needs (the
# Linux build's packages through `tools/dev deps`, Wine, msitools and wixl),
# builds the x64 test build (tools/win/build.sh --test x86_64: its custom
# actions honour WSINSTALL_TEST_SNAPSHOT), the x64 release build and the
# Linux wsinstall, then builds windows/msi/wsinstall-example.wxs as v1 and v2
# of one product (two manifests each: tests/data/msi/web-filter-1.xml or -2,
# and vsock-transport.xml) and runs, each scenario on a simulated machine
# (a copy of data/reference/win10-x64.xml that the custom actions change
# instead of Wine's catalogs, whose WSC calls change nothing):
#   install v1, repair, major upgrade to v2 (RemoveExistingProducts early,
#   as wixl's MajorUpgrade schedules it), uninstall; install v1, upgrade with
#   RemoveExistingProducts late (after InstallExecute), uninstall; install
#   v1, a v2 upgrade whose later deferred action fails (rolled back to v1),
#   uninstall; install v1, a late upgrade to a v2 that dropped a manifest,
#   uninstall; a release build refusing the test property (and, without it,
#   catching Wine's no-op WSC calls); wsinstall-wixl.py's refusals.
# The snapshot is given as a property and in the environment: under Wine,
# RemoveExistingProducts removes the older version with another msiexec,
# which inherits the environment only.
# After each, the snapshot is compared (`catalog diff`, `catalog show`) with
# what the Linux build's `wsinstall apply`/`uninstall` gives, the MSI log is
# searched for the actions' messages and tags, and the journal folder and
# the kept manifests for their state.
# Exit status: 0 all passed, 1 a case failed, 2 something needed is missing.
# Environment: WSI_NATIVE (the Linux wsinstall; default build/tools/wsinstall,
# built into build-wine-native when missing), WSI_KEEP_SCRATCH=1 keeps the
# scratch folder (the MSIs, their logs msilog.N per case, the Wine prefix).
set -u

script=wine-msi
# shellcheck source=tools/win/common.sh
. "$(dirname "$0")/common.sh"

# --- what the tests need ----------------------------------------------------
"$root/tools/dev" deps || { log "tools/dev deps failed"; exit 2; }
need_packages wine wine64 msitools wixl python3

# --- builds -----------------------------------------------------------------
"$here/build.sh" --test x86_64 > /dev/null || { log "tools/win/build.sh --test x86_64 failed"; exit 2; }
"$here/build.sh" x86_64 > /dev/null || { log "tools/win/build.sh x86_64 failed"; exit 2; }
native_wsinstall
built=$(date +%s)

test_ca=$root/build-win-x86_64-test/windows/msi/wsinstall-ca.dll
release_ca=$root/build-win-x86_64/windows/msi/wsinstall-ca.dll
helper=$root/build-win-x86_64/tools/wsinstall.exe
reference=$root/data/reference/win10-x64.xml
data=$root/tests/data/msi

scratch=$(mktemp -d)
trap 'wineserver -k 2>/dev/null; [ -n "${WSI_KEEP_SCRATCH:-}" ] || rm -rf "$scratch"' EXIT
wine_prefix "$scratch/prefix"

journals=$WINEPREFIX/drive_c/ProgramData/wsinstall/journals
kept=$WINEPREFIX/drive_c/ProgramData/wsinstall/manifests
machine=$scratch/machine.xml
machine_w=$(winepath -w "$machine" 2>/dev/null)
expected=$scratch/expected.xml

# --- TAP --------------------------------------------------------------------
total=18
echo "1..$total"
n=0
failed=0
# not_ok NAME: a failed case, with what it collected in err (and the
# wsinstall lines of the last MSI log) as TAP comments.
not_ok() {
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
  [ -f "$scratch/err" ] && sed 's/^/#   /' "$scratch/err" | head -40
  [ -f "$scratch/msilog" ] && grep -a "wsinstall:\|Return value 3" "$scratch/msilog" | sed 's/^/#   log: /' | head -60
}
begin() { : > "$scratch/err"; rm -f "$scratch/msilog"; }
note() { printf '%s\n' "$*" >> "$scratch/err"; }

# build_msi NAME VERSION FILTER-MANIFEST [CA [EXTRA-INCLUDE [SED]]]: NAME.msi
# from the example, as a vendor builds it (the x64 helper stands in for the
# x86 one: the snapshot needs none). EXTRA-INCLUDE is a .wxi put in the
# <Product> beside wsinstall.wxi (the tests' failing action, a late
# RemoveExistingProducts); SED a sed script for the rest of the example.
build_msi() {
  dir=$scratch/$1
  mkdir -p "$dir"
  cp "$3" "$dir/web-filter.xml"
  cp "$data/vsock-transport.xml" "$dir/vsock-transport.xml"
  cp "${4:-$test_ca}" "$dir/wsinstall-ca.dll"
  cp "$helper" "$dir/wsinstall-x86.exe"
  src=$root/windows/msi/wsinstall-example.wxs
  if [ -n "${5:-}" ]; then
    src=$dir/example.wxs
    sed -e "s|<?include wsinstall.wxi ?>|&<?include $5 ?>|" -e "${6:-}" "$root/windows/msi/wsinstall-example.wxs" > "$src"
  fi
  (cd "$dir" && "$root/windows/msi/wsinstall-wixl.py" -a x64 -D ProductVersion="$2" -D SourceDir=. \
     -D WsinstallCaDll=wsinstall-ca.dll -o "$scratch/$1.msi" "$src") >> "$scratch/err" 2>&1
}

# msi ARGS...: wine msiexec ARGS /qn /l*v with the test snapshot, as a
# property and in the environment (which the removal of an older version
# by RemoveExistingProducts, another msiexec under Wine, inherits); the
# exit status in rc, the log (UTF-8) in $scratch/msilog.
msi() {
  rm -f "$scratch/msi.log"
  (cd "$scratch" && WSINSTALL_TEST_SNAPSHOT="$machine_w" wine msiexec "$@" /qn /l*v msi.log \
     WSINSTALL_TEST_SNAPSHOT="$machine_w") >> "$scratch/err" 2>&1 < /dev/null
  rc=$?
  if head -c 2 "$scratch/msi.log" 2>/dev/null | od -An -tx1 | grep -q 'ff fe'; then
    iconv -f UTF-16 -t UTF-8 "$scratch/msi.log" > "$scratch/msilog"
  else
    cp "$scratch/msi.log" "$scratch/msilog" 2>/dev/null
  fi
  cp "$scratch/msilog" "$scratch/msilog.$((n + 1))" 2>/dev/null
  note "msiexec $*: exit $rc"
}
# ERROR_INSTALL_FAILURE (1603) or, from Wine when the script fails,
# ERROR_FUNCTION_FAILED (1627); the exit status is their low byte.
install_failed() { case $rc in 67|1603|91|1627) return 0 ;; esac; return 1; }
has_log() { grep -aq -- "$1" "$scratch/msilog"; }
count_log() { grep -ac -- "$1" "$scratch/msilog"; }

# expect_machine CMD...: the Linux build runs each CMD (a wsinstall command
# line; MANIFEST paths from tests/data/msi) in turn on a fresh copy of the
# reference; the snapshot the MSIs changed must be equivalent to it
# (`catalog diff`: entries, chains and order, not the IDs and serials that
# the history of installs and removals leaves) and healthy (`catalog
# check`). On a difference, both `catalog show` outputs go to the TAP
# comments.
expect_machine() {
  cp "$reference" "$expected"
  for cmd in "$@"; do
    # shellcheck disable=SC2086 # the command's words
    "$native" $cmd > /dev/null 2>> "$scratch/err" || note "linux: wsinstall $cmd failed"
  done
  "$native" catalog diff "$expected" "$machine" > "$scratch/diff" 2>&1
  d=$?
  "$native" catalog check --machine "$machine" > "$scratch/check" 2>&1
  c=$?
  [ "$d" = 0 ] && [ "$c" = 0 ] && return 0
  note "catalog diff (linux, msi): exit $d; catalog check (msi): exit $c"
  sed 's/^/  /' "$scratch/diff" "$scratch/check" | head -30 >> "$scratch/err"
  "$native" catalog show --machine "$expected" > "$scratch/show-expected" 2>&1
  "$native" catalog show --machine "$machine" > "$scratch/show-msi" 2>&1
  diff "$scratch/show-expected" "$scratch/show-msi" | head -30 >> "$scratch/err"
  return 1
}
apply1="apply --machine $expected $data/web-filter-1.xml"
apply2="apply --machine $expected $data/web-filter-2.xml"
applyt="apply --machine $expected $data/vsock-transport.xml"

# Journals left in the folder (an MSI's commit removes its own) and kept
# manifests (PRODUCTCODE.ROW.xml), as "ROW ROW ..." of one product code.
count_journals() { find "$journals" -maxdepth 1 -name '*.journal' 2>/dev/null | wc -l; }
kept_rows() {
  find "$kept" -maxdepth 1 -name "$1.*.xml" 2>/dev/null | sed 's|.*}\.\(.*\)\.xml$|\1|' | LC_ALL=C sort | tr '\n' ' '
}
product_code() { msiinfo export "$scratch/$1.msi" Property | sed -n 's/^ProductCode	\(.*\)$/\1/p' | tr -d '\r'; }

# The test's failing action: after the install actions, a deferred command
# that fails, so the script rolls back what they committed; with
# RemoveExistingProducts late, as Wine runs it outside the new version's
# script (a separate removal that no rollback restores), so the failure
# comes before the old version is touched.
cat > "$scratch/wsi-test-fail.wxi" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Include xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Property Id="WsiTestCmd" Value="C:\windows\system32\cmd.exe"/>
  <CustomAction Id="WsiTestFail" Property="WsiTestCmd" ExeCommand="/c exit 3" Execute="deferred" Return="check"/>
  <InstallExecuteSequence>
    <Custom Action="WsiTestFail" After="WsinstallScheduleInstall" Before="RegisterUser"/>
    <RemoveExistingProducts After="InstallExecute" Before="InstallFinalize"/>
  </InstallExecuteSequence>
</Include>
XML
# Late RemoveExistingProducts: after the new version's script has run.
cat > "$scratch/wsi-test-late.wxi" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Include xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <InstallExecuteSequence>
    <RemoveExistingProducts After="InstallExecute" Before="InstallFinalize"/>
  </InstallExecuteSequence>
</Include>
XML

# 1. The packages build from the example, which has no CustomAction or
# sequence row of its own.
begin
built_ok=0
build_msi v1 2.0.0 "$data/web-filter-1.xml" || built_ok=1
build_msi v2 2.1.0 "$data/web-filter-2.xml" || built_ok=1
build_msi v2-late 2.1.0 "$data/web-filter-2.xml" "" "$scratch/wsi-test-late.wxi" || built_ok=1
build_msi v2-fail 2.1.0 "$data/web-filter-2.xml" "" "$scratch/wsi-test-fail.wxi" || built_ok=1
build_msi v1-release 2.0.0 "$data/web-filter-1.xml" "$release_ca" || built_ok=1
# v2 without the transport, and with the filter manifest in a component of
# a new GUID: the late removal of v1 then removes v1's components.
build_msi v2-drop 2.1.0 "$data/web-filter-2.xml" "" "$scratch/wsi-test-late.wxi" \
  '/<Component Id="TransportManifest"/,/<\/Component>/d; /<ComponentRef Id="TransportManifest"/d; s/3C2A9B8E-1D4F-4A6B-8E2C-7F1A5D9B3C40/3C2A9B8E-1D4F-4A6B-8E2C-7F1A5D9B3C41/' ||
  built_ok=1
v1=$(product_code v1)
v2=$(product_code v2)
v2late=$(product_code v2-late)
{
  msiinfo export "$scratch/v1.msi" WsinstallManifest > "$scratch/table"
  msiinfo export "$scratch/v1.msi" CustomAction > "$scratch/ca"
  msiinfo export "$scratch/v1.msi" LaunchCondition > "$scratch/lc"
  msiinfo export "$scratch/v2-late.msi" InstallExecuteSequence > "$scratch/seq"
} 2>> "$scratch/err"
cat "$scratch/table" "$scratch/ca" "$scratch/lc" >> "$scratch/err"
rep=$(sed -n 's/^RemoveExistingProducts		//p' "$scratch/seq")
iex=$(sed -n 's/^InstallExecute		//p' "$scratch/seq")
note "RemoveExistingProducts $rep, InstallExecute $iex (v2-late)"
[ "$built_ok" = 0 ] && ! grep -q "<CustomAction\|<Custom \|Sequence=" windows/msi/wsinstall-example.wxs &&
  grep -q "^Filter	FilterManifest	FilterManifest	WsinstallX86	0" "$scratch/table" &&
  grep -q "^Transport	TransportManifest	TransportManifest	WsinstallX86	0" "$scratch/table" &&
  grep -q "^WsinstallUninstallRollback	3329	" "$scratch/ca" && grep -q "^WsinstallUninstallCommit	3585	" "$scratch/ca" &&
  grep -q "^WsinstallInstall	3073	" "$scratch/ca" && grep -q "^Privileged	" "$scratch/lc" &&
  [ -n "$v1" ] && [ "$v1" != "$v2" ] && [ -n "$rep" ] && [ -n "$iex" ] && [ "$rep" -gt "$iex" ]
check $? "wsinstall-wixl.py builds v1 and v2 from the example: WsinstallManifest rows, action types, Privileged launch condition"
[ "$built_ok" = 0 ] || { log "the packages were not built"; cat "$scratch/err" >&2; exit 1; }

# 2. Install v1.
begin
cp "$reference" "$machine"
msi /i v1.msi
[ "$rc" = 0 ] &&
  has_log "Filter: component FilterManifest installed 2, action 3: install" &&
  has_log "scheduled WsinstallInstall of Transport" &&
  has_log "WsinstallInstall. Installing Winsock providers" &&
  has_log "^1: install layered entry 'Contoso Web Filter'" &&
  [ "$(count_log "wsinstall: apply: committed")" = 2 ] &&
  [ "$(count_log "wsinstall: commit: journal .* removed (committed)")" = 2 ] &&
  [ "$(count_journals)" = 0 ] && [ "$(kept_rows "$v1")" = "Filter Transport " ] &&
  expect_machine "$apply1" "$applyt"
check $? "msiexec /i v1: both manifests installed (log: schedule, ActionText, ActionData, commits), journals removed, manifests kept; the snapshot equals a Linux apply"

# 3. Repair: nothing changes. (REINSTALL=ALL is what `msiexec /f` sets;
# Wine's msiexec /f itself returns 1 without running the package.)
begin
cp "$machine" "$scratch/before-repair.xml"
msi /i v1.msi REINSTALL=ALL REINSTALLMODE=omus
[ "$rc" = 0 ] && [ "$(count_log "wsinstall: apply: nothing to do")" = 2 ] &&
  cmp -s "$machine" "$scratch/before-repair.xml" && [ "$(count_journals)" = 0 ] &&
  [ "$(kept_rows "$v1")" = "Filter Transport " ]
check $? "msiexec /i v1 REINSTALL=ALL (repair): both manifests have nothing to do, the snapshot is unchanged"

# 4. Major upgrade, RemoveExistingProducts early (wixl's MajorUpgrade: after
# InstallValidate): v1 removed, then v2 installed.
begin
msi /i v2.msi
# v1's own removal (its providers gone) comes first: v2's filter is a fresh
# install of 16 steps.
[ "$rc" = 0 ] && has_log "wsinstall: apply: committed (16 steps)" &&
  [ "$(kept_rows "$v1")" = "" ] && [ "$(kept_rows "$v2")" = "Filter Transport " ] && [ "$(count_journals)" = 0 ] &&
  expect_machine "$apply2" "$applyt"
check $? "major upgrade to v2 (RemoveExistingProducts early): v2's providers installed, v1's kept manifests gone"

# 5. Uninstall v2: nothing of the product is left.
begin
msi /x v2.msi
[ "$rc" = 0 ] && has_log "Filter: component FilterManifest installed 3, action 2: uninstall" &&
  has_log "uninstalling with the kept manifest" && [ "$(count_log "wsinstall: uninstall: committed")" = 2 ] &&
  [ "$(kept_rows '*')" = "" ] && [ "$(count_journals)" = 0 ] &&
  expect_machine
check $? "msiexec /x v2: the snapshot equals the reference, no kept manifest, no journal"

# 6-7. Major upgrade, RemoveExistingProducts late (after InstallExecute):
# v2 upgrades v1's providers, then v1's uninstall keeps the newer version.
begin
msi /i v1.msi
[ "$rc" = 0 ] && expect_machine "$apply1" "$applyt"
check $? "msiexec /i v1 again: the snapshot equals a Linux apply of v1"

begin
msi /i v2-late.msi
# v2 first: its filter upgrades v1's in place (the IPv6 chains, the record's
# version: 7 steps); v1's removal then leaves the shared components.
[ "$rc" = 0 ] && has_log "wsinstall: apply: committed (7 steps)" &&
  [ "$(kept_rows "$v1")" = "" ] && [ "$(kept_rows "$v2late")" = "Filter Transport " ] &&
  [ "$(count_journals)" = 0 ] && expect_machine "$apply2" "$applyt"
check $? "major upgrade to v2 (RemoveExistingProducts late): v2's providers stay installed after v1's removal"

# 8. Uninstall the late v2.
begin
msi /x v2-late.msi
[ "$rc" = 0 ] && [ "$(kept_rows '*')" = "" ] && [ "$(count_journals)" = 0 ] && expect_machine
check $? "msiexec /x v2 (late build): the snapshot equals the reference"

# 9-11. A v2 whose later deferred action fails: its install is rolled back
# by its rollback action, v1 stays installed.
begin
msi /i v1.msi
[ "$rc" = 0 ] && expect_machine "$apply1" "$applyt"
check $? "msiexec /i v1 before the failing upgrade"

begin
cp "$machine" "$scratch/before-fail.xml"
msi /i v2-fail.msi
install_failed &&
  [ "$(count_log "wsinstall: apply: committed")" -ge 1 ] &&
  has_log "WsinstallInstallRollback. Restoring the Winsock catalog" &&
  has_log "wsinstall: rollback: done; the machine is in its old state" &&
  [ "$(kept_rows "$v1")" = "Filter Transport " ] &&
  [ "$(kept_rows "$(product_code v2-fail)")" = "" ] &&
  expect_machine "$apply1" "$applyt"
check $? "a v2 upgrade whose later deferred action fails (1603/1627): the rollback actions undo it, v1 stays installed"

begin
bad=0
for j in "$journals"/*.journal; do
  [ -f "$j" ] || continue
  note "$j: $(tail -1 "$j")"
  tail -1 "$j" | grep -q '"rolled-back"' || bad=1
done
[ "$(count_journals)" -ge 1 ] && [ "$bad" = 0 ]
check $? "the failed upgrade's journals stay as a record, each rolled back"

# 12. Uninstall v1 at last.
begin
rm -f "$journals"/*.journal
msi /x v1.msi
[ "$rc" = 0 ] && [ "$(kept_rows '*')" = "" ] && [ "$(count_journals)" = 0 ] && expect_machine
check $? "msiexec /x v1: the snapshot equals the reference, nothing of the product is left"

# 13. A release build refuses the test property before anything runs.
begin
cp "$machine" "$scratch/before-release.xml"
msi /i v1-release.msi
install_failed && has_log "error \[msi-test-hook-refused\]" &&
  ! has_log "wsinstall: apply:" && [ "$(kept_rows '*')" = "" ] && cmp -s "$machine" "$scratch/before-release.xml"
check $? "the release custom action refuses WSINSTALL_TEST_SNAPSHOT (msi-test-hook-refused, 1603); nothing changes"

# 14. Without the property the release build is what ships: installing it
# runs on Wine's live catalogs, whose no-op WSC calls it catches.
begin
rm -f "$journals"/*.journal
(cd "$scratch" && wine msiexec /i v1-release.msi /qn /l*v msi.log) >> "$scratch/err" 2>&1 < /dev/null
rc=$?
cp "$scratch/msi.log" "$scratch/msilog" 2>/dev/null
note "msiexec /i v1-release.msi (live): exit $rc"
install_failed && has_log "error \[wsc-no-effect\]" &&
  has_log "wsinstall: rollback: nothing to undo" && [ "$(kept_rows '*')" = "" ]
check $? "the release build on Wine's live catalogs: wsc-no-effect, rolled back, 1603, no kept manifest"

# 15-17. Late upgrade to a v2 that moved the filter manifest to a new
# component and dropped the transport: v1's removal now removes both of
# its components. The filter's uninstall is of an older manifest than the
# installed one (newer-version-installed: nothing removed); the transport,
# which v2 no longer ships, goes.
begin
rm -f "$journals"/*.journal
msi /i v1.msi
[ "$rc" = 0 ] && expect_machine "$apply1" "$applyt"
check $? "msiexec /i v1 before the upgrade that drops a manifest"

begin
v2drop=$(product_code v2-drop)
msi /i v2-drop.msi
[ "$rc" = 0 ] && [ "$(kept_rows "$v1")" = "" ] && [ "$(kept_rows "$v2drop")" = "Filter " ] &&
  [ "$(count_journals)" = 0 ] && expect_machine "$apply2"
check $? "late upgrade to a v2 without the transport: v1's removal keeps the newer filter and removes the transport"

begin
msi /x v2-drop.msi
[ "$rc" = 0 ] && [ "$(kept_rows '*')" = "" ] && [ "$(count_journals)" = 0 ] && expect_machine
check $? "msiexec /x of that v2: the snapshot equals the reference"

# 18. The build script refuses a declaration it cannot turn into a row.
begin
mkdir -p "$scratch/bad"
sed 's|<wsi:Manifest Id="Filter" File="FilterManifest" Helper32="WsinstallX86"/>|<wsi:Manifest Id="Filter" File="NoSuchFile"/>|' \
  "$root/windows/msi/wsinstall-example.wxs" > "$scratch/bad/unknown-file.wxs"
sed 's|<MajorUpgrade |<wsi:Manifest File="FilterManifest"/>&|' \
  "$root/windows/msi/wsinstall-example.wxs" > "$scratch/bad/outside.wxs"
refused=0
for bad in unknown-file outside; do
  (cd "$scratch/v1" && "$root/windows/msi/wsinstall-wixl.py" -a x64 -D ProductVersion=1.0.0 -D SourceDir=. \
     -D WsinstallCaDll=wsinstall-ca.dll -o "$scratch/bad/$bad.msi" "$scratch/bad/$bad.wxs") > "$scratch/bad/$bad.out" 2>&1
  r=$?
  note "$bad: exit $r: $(cat "$scratch/bad/$bad.out")"
  [ "$r" = 1 ] && grep -q "wsinstall-wixl.py: error: .*wsi:Manifest" "$scratch/bad/$bad.out" &&
    [ ! -f "$scratch/bad/$bad.msi" ] || refused=1
done
check $refused "wsinstall-wixl.py refuses a wsi:Manifest naming no File of the package, or outside a Component (exit 1, no MSI)"

ended=$(date +%s)
log "install+build $((built - started)) s, tests $((ended - built)) s, total $((ended - started)) s"
echo "wine-msi: $((n - failed)) passed, $failed failed"
[ "$n" = "$total" ] || { echo "wine-msi: ran $n cases of $total"; exit 1; }
[ "$failed" = 0 ]
