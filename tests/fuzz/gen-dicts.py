#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes the libFuzzer dictionaries (xml.dict, reg.dict, netsh.dict,
# wsc-call.dict); run by hand after a grammar change. Tokens come from
# schema/*.xsd, the .reg format, the netsh labels the importer understands and
# the WSC call record's JSON form (engine/wsi-wsc-call.h).
def q(s):
    out='"'
    for b in (s if isinstance(s, bytes) else s.encode('utf-8')):
        c=chr(b)
        if c=='\\': out+='\\\\'
        elif c=='"': out+='\\"'
        elif b<0x20 or b>=0x7f: out+='\\x%02X'%b
        else: out+=c
    return out+'"'
man_elems="manifest product target base-provider san-provider layered-provider protocol chain over entry-name entry-guids entry-guid wsh-helper mapping".split()
man_attrs="af all-base allow-64-32 byte-order catalogs categories chains-of derive-from dll guid id ifs layer match max-sockaddr message-size min-sockaddr name name-pattern optional path path32 position product profile protocol protocol-max-offset provider provider-flags provider-reserved registration relative-to security-scheme service-flags template transport type vendor version".split()
snap_elems="machine description catalog entry chain registry key value string hex".split()
snap_attrs="bitness chain-len chain-slots encoding id-list kind lsp-categories next-id serial path-hex name-hex provider-id service-flags2 service-flags3 service-flags4 symbolic-int".split()
values="0 1 255 32 64 after all-base base before big both bottom ce desktop-x64 desktop-x86 little mtu stream dgram raw tcp udp inet inet6 top top-most unlimited x64 x86 true false hidden ifs-handles inspector firewall proxy redirector lsp-system guaranteed-delivery multiple-proto-entries matches-protocol-zero {layer} {target}".split()
xml=['<?xml version="1.0" encoding="UTF-8"?>','<?xml','?>','<!--','-->','<![CDATA[',']]>','<!DOCTYPE','<!ENTITY','SYSTEM','&amp;','&lt;','&#x','&#','encoding="UTF-16"','encoding="ISO-8859-1"','xmlns="urn:wsinstall:manifest:1"','xmlns="urn:wsinstall:manifest:2"','xmlns="urn:wsinstall:snapshot:1"','xmlns:xi="http://www.w3.org/2001/XInclude"','/>','</','="','{00000000-0000-0000-0000-000000000000}','{EC93747E-8CA0-4E05-8800-60C53D5061A2}','%SystemRoot%\\system32\\','%ProgramFiles%\\','\\\\?\\','\\\\server\\share\\','\\\\.\\','..\\','C:\\Users\\','0xFFFFFFFF','-2147483648','4294967296']
for e in man_elems+snap_elems: xml+=['<'+e,'</'+e+'>']
for a in sorted(set(man_attrs+snap_attrs)): xml.append(' '+a+'="')
for v in values: xml.append('"'+v+'"')
reg=['Windows Registry Editor Version 5.00','REGEDIT4','\r\n','[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]',
 '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]',
 '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries64\\000000000001]',
 '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Winsock\\Parameters]',
 '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Winsock\\Parameters\\TCP on SAN]',
 '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Winsock]',
 '[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services]','[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]','[-HKEY_LOCAL_MACHINE\\',
 'HKEY_LOCAL_MACHINE\\OFFLINE\\','Catalog_Entries','Catalog_Entries64','Protocol_Catalog9',
 '"Next_Catalog_Entry_ID"=dword:','"Num_Catalog_Entries"=dword:','"Num_Catalog_Entries64"=dword:','"Serial_Access_Num"=dword:',
 '"PackedCatalogItem"=hex:','"ProtocolName"="','"Current"=dword:00000001','"Transports"=hex(7):','"Mapping"=hex:','"HelperDllName"=hex(2):',
 '"MinSockaddrLength"=dword:','"MaxSockaddrLength"=dword:','=-','@=','=hex(0):','=hex(1):','=hex(b):','=hex(ffffffff):','dword:ffffffff',',\\\r\n  ',
 '00,','ff,','00,00,00,00,','e8,03,00,00,','\\"','\\\\',b'\xff\xfe']
ns=['Winsock Catalog Provider Entry','------------------------------------------------------','Entry Type:','Base Service Provider','Layered Chain Entry','Layered Service Provider','Description:','Provider ID:','Provider Path:','Catalog Entry ID:','Version:','Address Family:','Max Address Length:','Min Address Length:','Socket Type:','Protocol:','Service Flags:','Protocol Chain Length:','Protocol Chain:','Winsock Namespace Provider Entry','Namespace Provider','Name Space:','Active:','0x',' : ','\r\n','%SystemRoot%\\system32\\mswsock.dll','MSAFD Tcpip [TCP/IP]','{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}','4294967295','-1',
 "项类型","描述","提供程序 ID","提供程序路径","目录项 ID","版本","地址族","最大地址长度","最小地址长度","Socket 类型","协议","服务标志","协议链长度","协议链","："]
wsc=['{"call":"','"WSCInstallProvider"','"WSCInstallProvider64_32"','"WSCDeinstallProvider"','"WSCUpdateProvider"',
 '"WSCWriteProviderOrder"','"WSCSetProviderInfo"','"catalog":32','"catalog":64','"guid":"{EC93747E-8CA0-4E05-8800-60C53D5061A2}"',
 '"path":"%SystemRoot%\\\\SysWOW64\\\\','"path":"C:\\\\Users\\\\','"entries":[','"order":[','"lsp_categories":',
 '{"service_flags":[','"provider_flags":','"chain_len":','"chain":[0,0,0,0,0,0,0]','"version":','"af":','"max_sockaddr":',
 '"min_sockaddr":','"type":','"protocol":','"protocol_max_offset":','"byte_order":','"security_scheme":',
 '"message_size":','"provider_reserved":','"name":"','"}','},{',']}','\\u0000','\\"','4294967295','4294967296',
 '-2147483648','2147483648','1001','0.5','1e3','null','true']
for fn,head,items in [('wsc-call.dict','WSC call records in JSON (engine/wsi-wsc-call.h), the x86 helper\'s input',wsc),('xml.dict','XML grammar of manifests and snapshots (urn:wsinstall:manifest:1, urn:wsinstall:snapshot:1)',xml),('reg.dict','.reg grammar (REGEDIT4 / version 5.00) and the Winsock keys and values',reg),('netsh.dict','`netsh winsock show catalog` labels, English and Simplified Chinese',ns)]:
    open(fn,'w').write('# '+head+'\n'+'\n'.join(q(i) for i in items)+'\n')
