#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the smallest registry hive (regf) libhivex opens for writing: a base
block, one 4 KiB bin holding a root key and the security cell it needs
(new keys inherit it), and free space. hivex ships no empty hive and a real
one is megabytes, so the tests start from this file and add the keys they
need with hivex's write API (hivex_node_add_child, hivex_node_set_values,
hivex_commit).

Layout from the public descriptions of the format (base block "regf",
"hbin" bins, "nk" key and "sk" security cells, cell sizes negative when
allocated). Run by hand:

    tools/refcat/make-minimal-hive.py tests/data/hive/minimal.hive
"""

import struct
import sys

BLOCK = 4096
NONE = 0xFFFFFFFF


def cell(payload):
    """An allocated cell: negative size (header included), 8-byte aligned."""
    size = (4 + len(payload) + 7) & ~7
    return struct.pack("<i", -size) + payload + b"\0" * (size - 4 - len(payload))


def main(path):
    bin_header = 0x20
    nk_off = bin_header                          # offsets are relative to the first bin
    name = b"ROOT"
    nk_len = (4 + 0x4C + len(name) + 7) & ~7
    sk_off = nk_off + nk_len

    # Minimal self-relative SECURITY_DESCRIPTOR: revision 1, SE_SELF_RELATIVE, no owner/group/ACLs.
    descriptor = struct.pack("<BBHIIII", 1, 0, 0x8000, 0, 0, 0, 0)
    sk = cell(b"sk" + struct.pack("<HIIII", 0, sk_off, sk_off, 1, len(descriptor)) + descriptor)

    nk = cell(b"nk" + struct.pack(
        "<HQIIIIIIIIIIIIIIIHH",
        0x2C,          # KEY_HIVE_ENTRY | KEY_NO_DELETE | KEY_COMP_NAME
        0,             # last written
        0,             # access bits
        NONE,          # parent (none for the root)
        0, 0,          # subkeys, volatile subkeys
        NONE, NONE,    # subkey lists
        0, NONE,       # values, value list
        sk_off,        # security
        NONE,          # class name
        0, 0, 0, 0,    # largest subkey name, class name, value name, value data
        0,             # work var
        len(name), 0) + name)
    assert len(nk) == nk_len

    used = bin_header + len(nk) + len(sk)
    free = struct.pack("<i", BLOCK - used) + b"\0" * (BLOCK - used - 4)
    hbin = b"hbin" + struct.pack("<III", 0, BLOCK, 0) + struct.pack("<IQI", 0, 0, 0)
    assert len(hbin) == bin_header
    hbin += nk + sk + free
    assert len(hbin) == BLOCK

    base = bytearray(BLOCK)
    struct.pack_into("<4sIIQIIIIIII", base, 0, b"regf", 1, 1, 0, 1, 3, 0, 1, nk_off, BLOCK, 1)
    fname = "minimal".encode("utf-16-le")
    base[0x30:0x30 + len(fname)] = fname
    checksum = 0
    for i in range(0, 0x1FC, 4):
        checksum ^= struct.unpack_from("<I", base, i)[0]
    struct.pack_into("<I", base, 0x1FC, checksum)

    with open(path, "wb") as f:
        f.write(bytes(base) + hbin)


if __name__ == "__main__":
    main(sys.argv[1])
