catalog diff tests/data/snapshots/win7-x86.xml
