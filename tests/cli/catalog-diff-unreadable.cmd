catalog diff tests/data/snapshots/win7-x86.xml tests/data/snapshots/truncated.xml
