#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turn the registry dumps of real machines (../shared/reference/catalogs/
regipy_*_winsock_registry.txt) into what `reg export` would have written,
plus an expectation file derived ONLY from the dump's parsed fields (never
from its raw= hex), so the C importer is checked against an independent
reading of the same data.

Run by hand from the project root, never at build time:

    tools/refcat/dump2reg.py ../shared/reference/catalogs tests/data/reg

Outputs per machine: NAME.reg and NAME.expect (format described at the top
of every .expect file). A Windows 2000 catalog is also built from the SDK
sample's listing (see win2000() below for what is assumed).
"""

import ast
import re
import sys
import uuid
from pathlib import Path

# (dump file, output name, .reg format, key root used in the export)
MACHINES = [
    ("regipy_SYSTEM_winsock_registry.txt", "win7-x86", 4,
     r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet"),
    ("regipy_SYSTEM_2_winsock_registry.txt", "win81-x64", 5,
     r"HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001"),
    # exported from an offline hive mounted as HKLM\OFFLINE (reg load)
    ("regipy_SYSTEM_B_winsock_registry.txt", "win10-x64", 4,
     r"HKEY_LOCAL_MACHINE\OFFLINE\ControlSet001"),
    ("regipy_SYSTEM_WIN_10_1709_winsock_registry.txt", "win10-1709-x64", 5,
     r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet"),
]

REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ = 1, 2, 3, 4, 7
TYPES = {"REG_SZ": REG_SZ, "REG_EXPAND_SZ": REG_EXPAND_SZ, "REG_BINARY": REG_BINARY,
         "REG_DWORD": REG_DWORD, "REG_MULTI_SZ": REG_MULTI_SZ}
WSH_VALUES = {"mapping", "helperdllname", "minsockaddrlength", "maxsockaddrlength"}


def parse_dump(path):
    """Returns (keys, parsed): keys is a list of (key path relative to the
    control set, [(name, type, python value)]) in dump order; parsed maps a
    catalog entry key path to the dump's parsed fields (a dict)."""
    keys = []
    parsed = {}
    cur = None
    last_packed = None
    spelling = {}
    in_list = False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        # "# Services having Parameters\Winsock subkey:" lists the service
        # keys as the hive spells them (TCPIP6); section headers may not.
        if line.startswith("# Services having"):
            in_list = True
            continue
        if in_list and line.startswith("#   "):
            spelling[line[4:].strip().lower()] = line[4:].strip()
            continue
        in_list = False
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            cur = (line[1:-1], [])
            keys.append(cur)
            continue
        if line.startswith("    path="):
            parsed[cur[0]] = parse_fields(line.strip())
            continue
        if line.startswith("    raw="):
            raw = bytes.fromhex(line.strip()[4:])
            cur[1][last_packed] = (cur[1][last_packed][0], REG_BINARY, raw)
            continue
        m = re.match(r"^  (.+?) (REG_[A-Z_]+) ?(.*)$", line)
        if not m:
            raise SystemExit(f"{path}: cannot read line: {line[:80]}")
        name, tname, rest = m.groups()
        t = TYPES[tname]
        if t in (REG_SZ, REG_EXPAND_SZ):
            value = ast.literal_eval(rest)
        elif t == REG_MULTI_SZ:
            value = ast.literal_eval(rest)
        elif t == REG_DWORD:
            value = int(rest.split()[0], 16)
        else:
            mm = re.match(r"len=(\d+)(?: hex=([0-9a-f]*))?$", rest)
            value = bytes.fromhex(mm.group(2)) if mm.group(2) is not None else None
            if value is not None and len(value) != int(mm.group(1)):
                raise SystemExit(f"{path}: length mismatch in {name}")
        cur[1].append((name, t, value))
        if name == "PackedCatalogItem":
            last_packed = len(cur[1]) - 1
    for i, (k, v) in enumerate(keys):
        segs = k.split("\\")
        if len(segs) > 2 and segs[2].lower() in spelling:
            segs[2] = spelling[segs[2].lower()]
            keys[i] = ("\\".join(segs), v)
    return keys, parsed


def parse_fields(line):
    """path='..' flags1=0x.. ... name='..' trailing='..' -> dict of strings."""
    out = {}
    pos = 0
    while pos < len(line):
        m = re.compile(r"\s*(\w+)=").match(line, pos)
        if not m:
            break
        key = m.group(1)
        pos = m.end()
        if line[pos] == "'":
            # a Python string literal: find its end
            j = pos + 1
            while line[j] != "'":
                j += 2 if line[j] == "\\" else 1
            out[key] = ast.literal_eval(line[pos:j + 1])
            pos = j + 1
        elif line[pos] == "[":
            j = line.index("]", pos)
            out[key] = line[pos + 1:j]
            pos = j + 1
        else:
            j = pos
            while j < len(line) and not line[j].isspace():
                j += 1
            out[key] = line[pos:j]
            pos = j
    return out


# ---- .reg writer (the layout regedit / reg export produce) -------------

def reg_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hex_lines(prefix, data):
    """regedit wraps hex data at 80 columns with a trailing backslash and
    continues with two spaces of indentation."""
    tokens = [f"{b:02x}" for b in data]
    lines = []
    line = prefix
    for i, tok in enumerate(tokens):
        piece = tok + ("," if i < len(tokens) - 1 else "")
        if len(line) + len(piece) > 77 and line.strip():
            lines.append(line + "\\")
            line = "  "
        line += piece
    lines.append(line)
    return lines


def encode_string(s, fmt):
    if fmt == 5:
        return s.encode("utf-16-le") + b"\0\0"
    return s.encode("cp1252") + b"\0"


def value_lines(name, t, value, fmt):
    n = "@" if name == "" else reg_quote(name)
    if t == REG_SZ:
        return [f"{n}={reg_quote(value)}"]
    if t == REG_DWORD:
        return [f"{n}=dword:{value:08x}"]
    if t == REG_BINARY:
        return hex_lines(f"{n}=hex:", value)
    if t == REG_EXPAND_SZ:
        return hex_lines(f"{n}=hex(2):", encode_string(value, fmt))
    if t == REG_MULTI_SZ:
        data = b"".join(encode_string(v, fmt) for v in value)
        data += b"\0\0" if fmt == 5 else b"\0"
        return hex_lines(f"{n}=hex(7):", data)
    raise ValueError(t)


def regedit_order(keys):
    """reg export writes a key, then its subkeys depth first, siblings in the
    registry's own order (case-insensitive by name), and a header for every
    key on the way down. The dumps list keys in their own order, so sort
    them, and add the missing intermediate keys below Services."""
    have = {k.lower() for k, _ in keys}
    extra = []
    for k, _ in keys:
        segs = k.split("\\")
        for i in range(2, len(segs)):
            p = "\\".join(segs[:i])
            if p.lower() not in have:
                have.add(p.lower())
                extra.append((p, []))
    return sorted(keys + extra, key=lambda kv: [s.upper() for s in kv[0].split("\\")])


def write_reg(path, fmt, root, keys):
    lines = ["Windows Registry Editor Version 5.00" if fmt == 5 else "REGEDIT4", ""]
    for key, values in regedit_order(keys):
        rel = key.split("\\", 1)[1]          # drop ControlSet001
        lines.append(f"[{root}\\{rel}]")
        for name, t, value in values:
            lines.extend(value_lines(name, t, value, fmt))
        lines.append("")
    text = "\r\n".join(lines) + "\r\n"
    if fmt == 5:
        Path(path).write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    else:
        Path(path).write_bytes(text.encode("cp1252"))


# ---- expectations -----------------------------------------------------

def entry_lines(bitness, pos, f):
    chain = " ".join(x.strip() for x in f["chain"].split(",") if x.strip())
    out = [f"entry {bitness} {pos} id={f['id']} guid={f['guid']} chainlen={f['chainlen']} "
           f"chain={chain.replace(' ', ',')} ver={f['ver']} af={f['af']} max={f['max']} min={f['min']} "
           f"type={f['type']} proto={f['proto']} maxoff={f['maxoff']} order={f['order']} sec={f['sec']} "
           f"msgsize={f['msgsize']} flags1={f['flags1']} provflags={f['provflags']}",
           f"path {bitness} {pos} {f['path']}",
           f"name {bitness} {pos} {f['name']}"]
    return out


EXPECT_HEADER = """\
# Expected import of {reg}, derived by tools/refcat/dump2reg.py from the PARSED
# fields of {src} (not from its raw hex).
# kind KIND
# catalog BITNESS next=Next_Catalog_Entry_ID serial=Serial_Access_Num count=Num_Catalog_Entries(64)
# entry BITNESS POSITION id= guid= chainlen= chain=ChainEntries[0..]  (the dump lists those it prints)
#       ver= af= max= min= type= proto= maxoff= order= sec= msgsize= flags1= provflags=
# path BITNESS POSITION TEXT / name BITNESS POSITION TEXT
# reg TYPE KEY|NAME|VALUE  (KEY below ...\\Services; sz/expand: text, dword: decimal,
#     multi: items joined with '|', binary: hex); every registry value the import keeps
"""


def write_expect(path, reg_name, src, keys, parsed):
    lines = [EXPECT_HEADER.format(reg=reg_name, src=src).rstrip("\n")]
    by_key = {k.lower(): (k, v) for k, v in keys}
    pc9 = by_key["controlset001\\services\\winsock2\\parameters\\protocol_catalog9"][1]
    pc9 = {n.lower(): v for n, t, v in pc9}
    has64 = any(k.lower().endswith("\\catalog_entries64") for k, _ in keys)
    lines.append(f"kind {'x64' if has64 else 'x86'}")
    for bitness, sub, count_name in ((32, "Catalog_Entries", "num_catalog_entries"),
                                     (64, "Catalog_Entries64", "num_catalog_entries64")):
        if bitness == 64 and not has64:
            continue
        lines.append(f"catalog {bitness} next={pc9['next_catalog_entry_id']} "
                     f"serial={pc9['serial_access_num']} count={pc9[count_name]}")
        prefix = f"ControlSet001\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\{sub}\\"
        pos = 1
        while prefix + f"{pos:012d}" in parsed:
            lines.extend(entry_lines(bitness, pos, parsed[prefix + f"{pos:012d}"]))
            pos += 1
        if pos - 1 != pc9[count_name]:
            raise SystemExit(f"{src}: {pos - 1} parsed entries, count says {pc9[count_name]}")
    for key, values in keys:
        rel = key.split("\\", 2)[2]   # below Services
        low = rel.lower()
        keep = []
        if low == "winsock\\parameters":
            keep = [v for v in values if v[0].lower() == "transports"]
        elif low == "winsock\\parameters\\tcp on san":
            keep = values
        elif re.fullmatch(r"[^\\]+\\parameters\\winsock", low):
            keep = [v for v in values if v[0].lower() in WSH_VALUES]
        for name, t, value in keep:
            tn = {REG_SZ: "sz", REG_EXPAND_SZ: "expand", REG_DWORD: "dword",
                  REG_MULTI_SZ: "multi", REG_BINARY: "binary"}[t]
            if t == REG_MULTI_SZ:
                text = "|".join(value)
            elif t == REG_BINARY:
                text = value.hex()
            else:
                text = str(value)
            lines.append(f"reg {tn} {rel}|{name}|{text}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- Windows 2000, from the SDK sample's listing -----------------------

def win2000(srcdir, outdir):
    """The catalog `instlsp -p` printed on a Windows 2000 machine before the
    LSP install. The listing gives IDs, order and names only; the rest is
    ASSUMED (see data/reference/README.md): MSAFD and RSVP values are those
    later Windows versions use for the same providers (Win7 dump), paths are
    the Windows 2000 DLLs (msafd.dll, rsvpsp.dll), ATM values are the
    documented AF_ATM / SOCK_RAW / ATMPROTO_AAL5 with a placeholder GUID."""
    listing = Path(srcdir, "microsoft_Windows-classic-samples_lsp_readme_instlsp_win2000.txt")
    text = listing.read_text(encoding="utf-8")
    before = text.split("C:\\>instlsp.exe -i")[0]
    rows = re.findall(r"^\s+(\d{4}) - (.+)$", before, re.M)
    msafd = r"%SystemRoot%\System32\msafd.dll"
    rsvp = r"%SystemRoot%\System32\rsvpsp.dll"
    tcpip = "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}"
    rsvp_guid = "{9D60A9E0-337A-11D0-BD88-0000C082E69A}"
    netbios = "{8D5F1830-C273-11CF-95C8-00805F48A192}"
    # No public source gives the ATM provider's GUID: a name-based one under
    # the URL namespace, so it is stable and obviously not Microsoft's.
    atm = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "wsinstall:assumed:MSAFD ATM AAL5")).upper() + "}"
    entries = []
    for sid, name in rows:
        e = dict(id=int(sid), name=name, ver=2, chainlen=1, maxoff=0, order=0, sec=0, sf=[0, 0, 0, 0])
        if name == "MSAFD ATM AAL5":
            e.update(path=msafd, guid=atm, af=22, max=44, min=44, type=3, proto=5, flags1=0x22006,
                     provflags=0x0, msgsize=0xFFFFFFFF)
        elif name == "MSAFD Tcpip [TCP/IP]":
            e.update(path=msafd, guid=tcpip, af=2, max=16, min=16, type=1, proto=6, flags1=0x20066,
                     provflags=0x8, msgsize=0)
        elif name == "MSAFD Tcpip [UDP/IP]":
            e.update(path=msafd, guid=tcpip, af=2, max=16, min=16, type=2, proto=17, flags1=0x20609,
                     provflags=0x8, msgsize=0xFFF7)
        elif name == "MSAFD Tcpip [RAW/IP]":
            e.update(path=msafd, guid=tcpip, af=2, max=16, min=16, type=3, proto=0, flags1=0x20609,
                     provflags=0xC, msgsize=0x8000, maxoff=255)
        elif name == "RSVP UDP Service Provider":
            e.update(path=rsvp, guid=rsvp_guid, af=2, max=16, min=16, type=2, proto=17, flags1=0x22609,
                     provflags=0x8, msgsize=0xFFF7)
        elif name == "RSVP TCP Service Provider":
            e.update(path=rsvp, guid=rsvp_guid, af=2, max=16, min=16, type=1, proto=6, flags1=0x22066,
                     provflags=0x8, msgsize=0)
        elif name.startswith("MSAFD NetBIOS"):
            lana = int(name.rsplit(" ", 1)[1])
            seq = " SEQPACKET " in name
            # LANA 0 is stored as 0x80000000 (protocol 0 would mean "any")
            proto = -0x80000000 if lana == 0 else -lana
            e.update(path=msafd, guid=netbios, af=17, max=20, min=20, type=5 if seq else 2, proto=proto,
                     flags1=0x2000E if seq else 0x20209, provflags=0x8 if lana == 0 else 0x0,
                     msgsize=0xFA00)
        else:
            raise SystemExit(f"win2000: no assumed values for '{name}'")
        entries.append(e)
    if [e["id"] for e in entries] != list(range(1001, 1019)):
        raise SystemExit("win2000: unexpected IDs in the listing")

    keys = []
    root = r"ControlSet001\Services\WinSock2\Parameters\Protocol_Catalog9"
    # The dummy "Foobar" got 1041 in the same listing: that is the counter.
    keys.append((root, [("Next_Catalog_Entry_ID", REG_DWORD, 1041),
                        ("Num_Catalog_Entries", REG_DWORD, len(entries)),
                        ("Serial_Access_Num", REG_DWORD, 1)]))
    keys.append((root + r"\Catalog_Entries", []))
    expect = [EXPECT_HEADER.format(reg="win2000-x86.reg", src=listing.name + " (+ assumed fields)").rstrip("\n"),
              "kind x86", f"catalog 32 next=1041 serial=1 count={len(entries)}"]
    for pos, e in enumerate(entries, 1):
        packed = pack_item(e)
        keys.append((root + f"\\Catalog_Entries\\{pos:012d}",
                     [("PackedCatalogItem", REG_BINARY, packed), ("ProtocolName", REG_SZ, e["name"])]))
        f = {k: str(v) for k, v in e.items()}
        f.update(chain="0", flags1=hex(e["flags1"]), provflags=hex(e["provflags"]), msgsize=hex(e["msgsize"]))
        expect.extend(entry_lines(32, pos, f))
    write_reg(Path(outdir, "win2000-x86.reg"), 5, r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet", keys)
    Path(outdir, "win2000-x86.expect").write_text("\n".join(expect) + "\n", encoding="utf-8")


def pack_item(e):
    import struct
    path = e["path"].encode("cp1252")
    out = path + b"\0" * (260 - len(path))
    g = uuid.UUID(e["guid"])
    out += struct.pack("<4I I", e["flags1"], 0, 0, 0, e["provflags"])
    out += g.bytes_le
    out += struct.pack("<I i 7I", e["id"], e["chainlen"], *([0] * 7))
    out += struct.pack("<9i", e["ver"], e["af"], e["max"], e["min"], e["type"], e["proto"],
                       e["maxoff"], e["order"], e["sec"])
    out += struct.pack("<2I", e["msgsize"], 0)
    name = e["name"].encode("utf-16-le")
    out += name + b"\0" * (512 - len(name))
    assert len(out) == 888
    return out


# ---- a netsh listing of the same catalog -----------------------------

def netsh_block(f):
    n = int(f["chainlen"])
    kind = {0: "Layered Service Provider", 1: "Base Service Provider"}.get(n, "Layered Chain Entry")
    rows = [("Entry Type", kind), ("Description", f["name"]), ("Provider ID", f["guid"]),
            ("Provider Path", f["path"]), ("Catalog Entry ID", f["id"]), ("Version", f["ver"]),
            ("Address Family", f["af"]), ("Max Address Length", f["max"]), ("Min Address Length", f["min"]),
            ("Socket Type", f["type"]), ("Protocol", f["proto"]), ("Service Flags", f["flags1"]),
            ("Protocol Chain Length", f["chainlen"])]
    out = ["", "Winsock Catalog Provider Entry", "-" * 54]
    out += [f"{label + ':':<36}{value}" for label, value in rows]
    if n > 1:
        chain = [x.strip() for x in f["chain"].split(",")][:n]
        out.append("Protocol Chain: " + " : ".join(chain))
    return out


def write_netsh(path, keys, parsed):
    """What `netsh winsock show catalog` prints for the dump's 32-bit catalog
    (the names as stored: netsh would show indirect @dll,-N names resolved)
    followed by its name space providers."""
    lines = []
    prefix = "ControlSet001\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\"
    pos = 1
    while prefix + f"{pos:012d}" in parsed:
        lines += netsh_block(parsed[prefix + f"{pos:012d}"])
        pos += 1
    for key, values in keys:
        if "\\NameSpace_Catalog5\\Catalog_Entries\\" not in key:
            continue
        v = {n: val for n, t, val in values}
        guid = "{" + str(uuid.UUID(bytes_le=v["ProviderId"])).upper() + "}"
        lines += ["", "Name Space Provider Entry", "-" * 54,
                  f"{'Description:':<36}{v['DisplayString']}", f"{'Provider ID:':<36}{guid}",
                  f"{'Name Space:':<36}{v['SupportedNameSpace']}", f"{'Active:':<36}{v['Enabled']}",
                  f"{'Version:':<36}{v['Version']}"]
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))


def main():
    srcdir, outdir = sys.argv[1], sys.argv[2]
    for src, name, fmt, root in MACHINES:
        keys, parsed = parse_dump(Path(srcdir, src))
        write_reg(Path(outdir, name + ".reg"), fmt, root, keys)
        write_expect(Path(outdir, name + ".expect"), name + ".reg", src, keys, parsed)
        if name == "win7-x86":
            write_netsh(Path(outdir, "..", "netsh", "win7-x86-generated.txt"), keys, parsed)
    win2000(srcdir, outdir)


if __name__ == "__main__":
    main()
