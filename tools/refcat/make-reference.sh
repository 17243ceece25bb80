#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Rebuilds data/reference/*.xml, the reference catalogs CI pipelines plan
# against, from the .reg exports in tests/data/reg (themselves written by
# tools/refcat/dump2reg.py). Run by hand from the project root after a
# build:  tools/refcat/make-reference.sh [path/to/wsinstall]
set -eu
wsinstall=${1:-build/tools/wsinstall}
cd "$(dirname "$0")/../.."

import() {
  name=$1; shift
  "$wsinstall" catalog import --from=reg "tests/data/reg/$name.reg" -o "data/reference/$name.xml" --description="$*"
}

import win7-x86 "Windows 7 SP1 x86, a real machine (SYSTEM hive of the regipy test data): 24 entries with VMware VMCI providers, IDs with gaps, Next_Catalog_Entry_ID 1075"
import win81-x64 "x64 Windows 8.1 / Server 2012 R2 era, a real machine (SYSTEM_2 hive of the regipy test data): 10 + 10 entries, both catalogs identical"
import win10-x64 "Windows 10 x64, a real machine (SYSTEM_B hive of the regipy test data): 13 + 13 entries with Hyper-V RAW, IrDA and RfComm"
import win10-1709-x64 "Windows 10 1709 x64, a real machine (SYSTEM_WIN_10_1709 hive of the regipy test data): 16 + 16 entries with AF_UNIX and VMware vSockets"
import win2000-x86 "Windows 2000 x86 from the Windows SDK LSP sample's listing (instlsp -p): IDs 1001-1018 in that order, Next_Catalog_Entry_ID 1041; fields the listing lacks are assumed (see data/reference/README.md)"
