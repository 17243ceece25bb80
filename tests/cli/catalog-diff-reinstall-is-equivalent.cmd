catalog diff tests/data/snapshots/win7-x86-lsp.xml tests/data/snapshots/win7-x86-lsp-reinstalled.xml
