catalog resolve --af=inet --type=stream --protocol=tcp --machine tests/data/snapshots/win7-x86-lsp.xml
