catalog show --catalog=64 --machine tests/data/snapshots/win7-x86.xml
