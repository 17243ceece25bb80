#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tools/bench/gen.py OUTDIR: the benchmark inputs, deterministic (the same
files every run):

  OUTDIR/manifests/m0000.xml .. m0999.xml  1,000 vendor-like manifests of six
      kinds (content-filter LSP in both catalogs, IFS redirector, stacked
      layers, new base transport, SAN provider, WSH helper);
  OUTDIR/catalog-100.xml, -1000, -10000     x64 machine snapshots whose two
      catalogs hold that many entries each (MSAFD-like base providers with 4
      entries per GUID, one LSP with its chains every 50 entries);
  OUTDIR/chains-10.xml, -100, -1000         desktop-x64 manifests creating
      10, 100 and 1,000 chain entries per catalog (1, 10, 100 layers, each
      over 10 base protocols that every catalog above has).
"""
import os
import sys
import uuid

NS = uuid.UUID('6ba7b811-9dad-11d1-80b4-00c04fd430c8')


def guid(*parts):
    return '{%s}' % str(uuid.uuid5(NS, '/'.join(str(p) for p in parts))).upper()


def esc(text):
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('"', '&quot;')


# --- 1,000 manifests -------------------------------------------------------

def manifest_filter(i):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated: content filter {i}, an LSP over TCP and UDP on IPv4 and IPv6 in both catalogs. -->
<manifest xmlns="urn:wsinstall:manifest:1">
  <product id="vendor{i}-filter" name="Vendor {i} Web Filter" vendor="Vendor {i} Ltd." version="{1 + i % 7}.{i % 10}.{i % 3}"/>
  <target profile="desktop-x64" catalogs="both"/>
  <layered-provider id="filter" guid="{guid('filter', i)}" name="Vendor {i} Web Filter"
                    path="%ProgramFiles%\\Vendor{i}\\Filter\\vflsp64.dll"
                    path32="%ProgramFiles(x86)%\\Vendor{i}\\Filter\\vflsp.dll"
                    ifs="false" categories="inspector firewall"/>
  <chain layer="filter" position="top">
    <over af="inet" type="stream" protocol="tcp"/>
    <over af="inet" type="dgram" protocol="udp"/>
    <over af="inet6" type="stream" protocol="tcp"/>
    <over af="inet6" type="dgram" protocol="udp"/>
  </chain>
</manifest>
'''


def manifest_ifs(i):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated: IFS redirector {i} on 32-bit Windows, over every visible base protocol. -->
<manifest xmlns="urn:wsinstall:manifest:1">
  <product id="vendor{i}-redirector" name="Vendor {i} Redirector" vendor="Vendor {i}" version="3.{i % 10}"/>
  <target profile="desktop-x86"/>
  <layered-provider id="redir" guid="{guid('redir', i)}" name="Vendor {i} Redirector"
                    path="%SystemRoot%\\System32\\v{i}redir.dll" ifs="true" categories="redirector proxy"/>
  <chain layer="redir" position="top">
    <over af="inet" type="stream" protocol="tcp"/>
    <over af="inet6" type="stream" protocol="tcp" optional="true"/>
  </chain>
</manifest>
'''


def manifest_stack(i):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated: two layers of vendor {i}, a shaper under a scanner (stacked chains). -->
<manifest xmlns="urn:wsinstall:manifest:1">
  <product id="vendor{i}-suite" name="Vendor {i} Suite" vendor="Vendor {i}" version="5.{i % 10}.1"/>
  <target profile="desktop-x64" catalogs="both"/>
  <layered-provider id="shaper" guid="{guid('shaper', i)}" name="Vendor {i} Shaper"
                    path="%ProgramFiles%\\Vendor{i}\\shaper64.dll" path32="%ProgramFiles(x86)%\\Vendor{i}\\shaper.dll"
                    ifs="true" categories="inbound-modify outbound-modify"/>
  <layered-provider id="scan" guid="{guid('scan', i)}" name="Vendor {i} Scanner"
                    path="%ProgramFiles%\\Vendor{i}\\scan64.dll" path32="%ProgramFiles(x86)%\\Vendor{i}\\scan.dll"
                    categories="inspector"/>
  <chain layer="shaper">
    <over af="inet" type="stream" protocol="tcp"/>
    <over af="inet6" type="stream" protocol="tcp"/>
  </chain>
  <chain layer="scan">
    <over chains-of="shaper"/>
  </chain>
</manifest>
'''


def manifest_base(i):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated: a new base transport of vendor {i} with two protocols. -->
<manifest xmlns="urn:wsinstall:manifest:1">
  <product id="vendor{i}-transport" name="Vendor {i} Transport" vendor="Vendor {i}" version="1.{i % 10}"/>
  <target profile="desktop-x64" catalogs="both"/>
  <base-provider id="t" guid="{guid('transport', i)}" path="%SystemRoot%\\System32\\v{i}net.dll"
                 path32="%SystemRoot%\\SysWOW64\\v{i}net.dll">
    <protocol name="Vendor {i} [STREAM]" af="{1000 + i}" type="stream" protocol="0" min-sockaddr="16" max-sockaddr="32"
              service-flags="GUARANTEED_DELIVERY GUARANTEED_ORDER GRACEFUL_CLOSE" provider-flags="MATCHES_PROTOCOL_ZERO"/>
    <protocol name="Vendor {i} [DGRAM]" af="{1000 + i}" type="dgram" protocol="0" min-sockaddr="16" max-sockaddr="32"
              message-size="1400" service-flags="CONNECTIONLESS MESSAGE_ORIENTED" provider-flags="MATCHES_PROTOCOL_ZERO"/>
  </base-provider>
</manifest>
'''


def manifest_san(i):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated: SAN provider {i}, hidden and registered with the Windows Sockets switch. -->
<manifest xmlns="urn:wsinstall:manifest:1">
  <product id="vendor{i}-san" name="Vendor {i} SAN" vendor="Vendor {i}" version="2.{i % 10}"/>
  <target profile="desktop-x64" catalogs="64"/>
  <san-provider id="san" guid="{guid('san', i)}" path="%SystemRoot%\\System32\\v{i}san.dll" registration="Vendor {i} SAN">
    <protocol name="Vendor {i} SAN [TCP/IP]" af="inet" type="stream" protocol="tcp" min-sockaddr="16" max-sockaddr="16"
              message-size="mtu" service-flags="GUARANTEED_DELIVERY GUARANTEED_ORDER GRACEFUL_CLOSE"
              provider-flags="HIDDEN"/>
  </san-provider>
</manifest>
'''


def manifest_wsh(i):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated: WSH helper of vendor {i} for its transport. -->
<manifest xmlns="urn:wsinstall:manifest:1">
  <product id="vendor{i}-wsh" name="Vendor {i} Net" vendor="Vendor {i}" version="7.0.{i % 10}"/>
  <target profile="desktop-x86"/>
  <base-provider id="msafd" guid="{guid('msafd', i)}" path="%SystemRoot%\\system32\\mswsock.dll">
    <protocol name="MSAFD Vendor{i} [SEQPACKET]" af="{2000 + i}" type="seqpacket" protocol="0" min-sockaddr="14"
              max-sockaddr="14" message-size="unlimited"
              service-flags="GUARANTEED_DELIVERY GUARANTEED_ORDER MESSAGE_ORIENTED GRACEFUL_CLOSE"
              provider-flags="MATCHES_PROTOCOL_ZERO"/>
  </base-provider>
  <wsh-helper transport="Vendor{i}Net" dll="%SystemRoot%\\System32\\wshv{i}.dll" min-sockaddr="14" max-sockaddr="14">
    <mapping af="{2000 + i}" type="seqpacket" protocol="0"/>
    <mapping af="unspec" type="seqpacket" protocol="0"/>
  </wsh-helper>
</manifest>
'''


KINDS = [manifest_filter, manifest_ifs, manifest_stack, manifest_base, manifest_san, manifest_wsh]

# --- catalogs --------------------------------------------------------------

BASE_FLAGS = 'GUARANTEED_DELIVERY|GUARANTEED_ORDER|GRACEFUL_CLOSE|EXPEDITED_DATA|IFS_HANDLES'
DGRAM_FLAGS = 'CONNECTIONLESS|MESSAGE_ORIENTED|SUPPORT_BROADCAST|SUPPORT_MULTIPOINT|IFS_HANDLES'
MSAFD = '{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}'


def entry(eid, gid, name, path, chain_len, af, typ, proto, chain=None, flags=BASE_FLAGS, pflags='MATCHES_PROTOCOL_ZERO',
          cats=None):
    attrs = (f'id="{eid}" provider-id="{gid}" name="{esc(name)}" path="{esc(path)}" chain-len="{chain_len}"'
             + (f' chain="{" ".join(str(c) for c in chain)}"' if chain else '')
             + f' service-flags="{flags}" provider-flags="{pflags}" version="2" af="{af}" type="{typ}"'
             f' protocol="{proto}" protocol-max-offset="0" max-sockaddr="16" min-sockaddr="16" byte-order="0"'
             f' security-scheme="0" message-size="0"' + (f' lsp-categories="{cats}"' if cats else ''))
    return f'    <entry {attrs}/>\n'


def catalog_entries(n):
    """n entries: the 4 Tcpip entries and 10 raw protocols of MSAFD first,
    then providers of 4 entries each; every 50 entries an LSP (its layered
    entry and 2 chains over TCP/UDP)."""
    out = []
    eid = 1001
    base = [('inet', 'stream', 6), ('inet', 'dgram', 17), ('inet6', 'stream', 6), ('inet6', 'dgram', 17)]
    base += [('inet', 'raw', p) for p in range(100, 110)]
    ids = {}
    for af, typ, proto in base:
        flags = BASE_FLAGS if typ == 'stream' else DGRAM_FLAGS
        out.append(entry(eid, MSAFD, f'MSAFD Tcpip [{af} {typ} {proto}]', '%SystemRoot%\\system32\\mswsock.dll', 1,
                         af, typ, proto, flags=flags))
        ids[(af, typ, proto)] = eid
        eid += 1
    k = 0
    while len(out) < n:
        if k % 12 == 11 and n - len(out) >= 3:
            lsp = guid('catalog-lsp', k)
            lid = eid
            out.append(entry(lid, lsp, f'Installed LSP {k}', f'%ProgramFiles%\\L{k}\\l.dll', 0, 'inet', 0, 0,
                             flags='0', pflags='HIDDEN', cats='INSPECTOR'))
            eid += 1
            for t in (('inet', 'stream', 6), ('inet', 'dgram', 17)):
                out.append(entry(eid, guid('catalog-lsp-chain', k, t), f'Installed LSP {k} over [{t}]',
                                 f'%ProgramFiles%\\L{k}\\l.dll', 2, *t, chain=[lid, ids[t]],
                                 flags=(BASE_FLAGS if t[1] == 'stream' else DGRAM_FLAGS).replace('|IFS_HANDLES', '')))
                eid += 1
        else:
            g = guid('catalog-provider', k)
            for j in range(min(4, n - len(out))):
                out.append(entry(eid, g, f'Provider {k} [{j}]', f'%SystemRoot%\\system32\\p{k}.dll', 1,
                                 3000 + k, 'stream' if j % 2 == 0 else 'dgram', j))
                eid += 1
        k += 1
    return out[:n], eid


def catalog(n):
    entries, next_id = catalog_entries(n)
    body = ''.join(entries)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<machine xmlns="urn:wsinstall:snapshot:1" kind="x64">\n'
            f'  <description>Benchmark machine: {n} entries in each catalog (tools/bench/gen.py)</description>\n')
    for bits in (64, 32):
        text += f'  <catalog bitness="{bits}" next-id="{next_id}" serial="{n}">\n{body}  </catalog>\n'
    return text + '</machine>\n'


def chains_manifest(n_chains):
    layers = n_chains // 10
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           f'<!-- Generated: {layers} layers, each over 10 base protocols: {n_chains} chains per catalog. -->\n',
           '<manifest xmlns="urn:wsinstall:manifest:1">\n',
           f'  <product id="bench-{n_chains}" name="Benchmark {n_chains}" vendor="Bench" version="1.0"/>\n',
           '  <target profile="desktop-x64" catalogs="both"/>\n']
    for l in range(layers):
        out.append(f'  <layered-provider id="l{l}" guid="{guid("bench-layer", l)}" name="Bench Layer {l}"'
                   f' path="%ProgramFiles%\\Bench\\l{l}.dll" path32="%ProgramFiles(x86)%\\Bench\\l{l}.dll"'
                   f' ifs="true" categories="inspector"/>\n')
    for l in range(layers):
        out.append(f'  <chain layer="l{l}">\n')
        for p in range(100, 110):
            out.append(f'    <over af="inet" type="raw" protocol="{p}"/>\n')
        out.append('  </chain>\n')
    out.append('</manifest>\n')
    return ''.join(out)


def write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main():
    outdir = sys.argv[1]
    os.makedirs(os.path.join(outdir, 'manifests'), exist_ok=True)
    for i in range(1000):
        write(os.path.join(outdir, 'manifests', f'm{i:04d}.xml'), KINDS[i % len(KINDS)](i))
    for n in (100, 1000, 10000):
        write(os.path.join(outdir, f'catalog-{n}.xml'), catalog(n))
    for n in (10, 100, 1000):
        write(os.path.join(outdir, f'chains-{n}.xml'), chains_manifest(n))


if __name__ == '__main__':
    main()
