catalog diff --format=json tests/data/snapshots/win7-x86.xml tests/data/snapshots/no-such-file.xml
