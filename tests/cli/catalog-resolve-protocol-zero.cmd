catalog resolve --af=inet6 --type=dgram --machine tests/data/snapshots/win7-x86-lsp.xml
