#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/fuzz/make-hive.sh REG HIVE: turns a `reg export` fixture of
# HKLM\SYSTEM\CurrentControlSet\Services (tests/data/reg/*.reg) into a small
# offline SYSTEM hive (Select\Current = 1, ControlSet001\Services\...), the
# seed for the hive fuzz target and the base of the damaged hives in
# test-hostile.c. Run by hand; needs hivexregedit (Debian libhivex-bin,
# libwin-hivex-perl). Made this way:
#   tests/data/hostile/hive-win7-x86.hive   from tests/data/reg/win7-x86.reg
#   tests/data/hostile/hive-win10-x64.hive  from tests/data/reg/win10-x64.reg
set -euo pipefail
reg=$1 hive=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 - "$reg" "$tmp" <<'PY'
import re, sys
raw = open(sys.argv[1], 'rb').read()
text = raw.decode('utf-16') if raw[:2] == b'\xff\xfe' else raw.decode('latin-1')
text = text.replace('\ufeff', '').replace('Windows Registry Editor Version 5.00', 'REGEDIT4', 1)
# Any control set or mounted hive name becomes ControlSet001 of SYSTEM.
text = re.sub(r'HKEY_LOCAL_MACHINE\\[^\\\]]+\\(CurrentControlSet|ControlSet\d{3})', r'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001', text)
head = ('REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001]\r\n\r\n'
        '[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n"Current"=dword:00000001\r\n\r\n')
text = text.replace('REGEDIT4\r\n', head, 1)
open(sys.argv[2], 'w', encoding='latin-1', errors='replace', newline='').write(text)
PY
cp "$here/tests/data/hive/minimal.hive" "$hive"
hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$hive" "$tmp"
