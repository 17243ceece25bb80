catalog resolve --af=inet --type=dgram --protocol=udp --format=json --machine tests/data/snapshots/win7-x86-lsp.xml
