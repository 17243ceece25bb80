catalog show --machine tests/data/snapshots/win7-x86.xml
