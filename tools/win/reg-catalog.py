#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/reg-catalog.py: the Winsock catalog values of a .reg file in a
# normal form, for tools/win/wine-live.sh.
#
#   reg-catalog.py items FILE          one line per value of Protocol_Catalog9
#                                      that two machines in the same state
#                                      must share byte for byte
#   reg-catalog.py reset SEED OTHER... a .reg file (UTF-16LE, as regedit
#                                      writes) that deletes every key and value
#                                      the OTHER files have and SEED has not,
#                                      deletes Protocol_Catalog9 and
#                                      HKLM\SOFTWARE\wsinstall, then imports
#                                      SEED: one `regedit /S` puts Wine's
#                                      registry back to the seeded state
#
# What is normalised, and why: wsinstall's exporter and Wine's `regedit /E`
# write the same data differently. Both files are decoded (UTF-16LE with a
# BOM, or UTF-8/ANSI for REGEDIT4), CRLF becomes LF, a line ending in a
# backslash is joined with the next (each wraps hex data at its own width),
# blanks inside hex lists are dropped, hex digits lower-cased, and key paths
# are compared from below ...\Services, case-folded (regedit may spell
# HKEY_LOCAL_MACHINE\System or CurrentControlSet differently). The items
# are the PackedCatalogItem (all 888 bytes, as hex) and the
# WsinstallLspCategories value of every position key of Catalog_Entries and
# Catalog_Entries64, and the counters Next_Catalog_Entry_ID,
# Num_Catalog_Entries and Num_Catalog_Entries64. Left out: Serial_Access_Num
# (the simulated machine counts changes per catalog and exports the larger
# count; the double, like ws2_32, counts once per call for both catalogs)
# and ProtocolName (a display copy of szProtocol, which the packed item
# holds; the importer ignores it).
import sys

SERVICES = "\\services\\"
CATALOG = "winsock2\\parameters\\protocol_catalog9"


def read_lines(path):
    data = open(path, "rb").read()
    if data[:2] == b"\xff\xfe":
        text = data[2:].decode("utf-16-le")
    else:
        text = data.decode("utf-8", errors="surrogateescape")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines, pending = [], ""
    for line in text.split("\n"):
        if pending:
            line = pending + line.lstrip()
            pending = ""
        if line.endswith("\\") and not line.startswith("["):
            pending = line[:-1]
            continue
        lines.append(line)
    if pending:
        lines.append(pending)
    return lines


def below_services(key):
    i = key.lower().find(SERVICES)
    return key[i + len(SERVICES):] if i >= 0 else None


def parse(path):
    """{folded key below Services: (spelling, {folded value name: (name, data text)})}"""
    keys = {}
    current = None
    for line in read_lines(path):
        if line.startswith("[") and line.rstrip().endswith("]"):
            name = line.strip()[1:-1]
            if name.startswith("-"):
                current = None
                continue
            sub = below_services(name)
            current = None
            if sub is not None:
                current = keys.setdefault(sub.lower(), (sub, {}))[1]
            continue
        if current is None or "=" not in line or line.startswith(";"):
            continue
        if line.startswith("@="):
            vname, data = "", line[2:]
        elif line.startswith('"'):
            end, i = None, 1
            while i < len(line):
                if line[i] == "\\":
                    i += 2
                    continue
                if line[i] == '"':
                    end = i
                    break
                i += 1
            if end is None or line[end + 1:end + 2] != "=":
                continue
            vname = line[1:end].replace('\\"', '"').replace("\\\\", "\\")
            data = line[end + 2:]
        else:
            continue
        data = data.strip()
        if data.startswith("hex") or data.startswith("dword:"):
            data = data.replace(" ", "").lower()
        current[vname.lower()] = (vname, data)
    return keys


def items(path):
    keys = parse(path)
    out = []
    root = keys.get(CATALOG, (None, {}))[1]
    for name in ("next_catalog_entry_id", "num_catalog_entries", "num_catalog_entries64"):
        if name in root:
            out.append("%s %s" % (name, root[name][1]))
    for sub in ("catalog_entries", "catalog_entries64"):
        prefix = CATALOG + "\\" + sub + "\\"
        for k in sorted(k for k in keys if k.startswith(prefix)):
            values = keys[k][1]
            pos = k[len(prefix):]
            for v in ("packedcatalogitem", "wsinstalllspcategories"):
                if v in values:
                    out.append("%s/%s %s %s" % (sub, pos, v, values[v][1]))
    return out


def quote(name):
    return '"%s"' % name.replace("\\", "\\\\").replace('"', '\\"')


def reset(seed, others):
    base = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\"
    have = parse(seed)
    gone_keys, gone_values = {}, {}
    for other in others:
        for k, (spelling, values) in parse(other).items():
            if k.startswith(CATALOG):
                continue
            if k not in have:
                gone_keys.setdefault(k, spelling)
                continue
            for v, (vname, _) in values.items():
                if v not in have[k][1]:
                    gone_values.setdefault(k, (have[k][0], {}))[1].setdefault(v, vname)
    text = ["Windows Registry Editor Version 5.00", ""]
    text += ["[-%s%s]" % (base, "WinSock2\\Parameters\\Protocol_Catalog9"), ""]
    # wsinstall's own records (ownership of what a manifest installed): a
    # run that ended in the new state leaves them, and the next run on the
    # reseeded catalog must not see them.
    text += ["[-HKEY_LOCAL_MACHINE\\SOFTWARE\\wsinstall]", ""]
    # Deepest first, so that a parent goes after its children.
    for k in sorted(gone_keys, key=lambda k: -k.count("\\")):
        text += ["[-%s%s]" % (base, gone_keys[k]), ""]
    for k, (spelling, values) in sorted(gone_values.items()):
        text += ["[%s%s]" % (base, spelling)]
        text += ["%s=-" % quote(v) for v in sorted(values.values())]
        text += [""]
    seed_data = open(seed, "rb").read()
    if seed_data[:2] == b"\xff\xfe":
        seed_text = seed_data[2:].decode("utf-16-le")
    else:
        seed_text = seed_data.decode("utf-8")
    body = seed_text.split("\n", 1)[1] if "\n" in seed_text else ""
    out = "\r\n".join(text) + "\r\n" + body.replace("\r\n", "\n").replace("\n", "\r\n")
    sys.stdout.buffer.write(b"\xff\xfe" + out.encode("utf-16-le"))


def main(argv):
    if len(argv) >= 3 and argv[1] == "items" and len(argv) == 3:
        for line in items(argv[2]):
            print(line)
        return 0
    if len(argv) >= 3 and argv[1] == "reset":
        reset(argv[2], argv[3:])
        return 0
    print("usage: reg-catalog.py items FILE | reset SEED OTHER...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
