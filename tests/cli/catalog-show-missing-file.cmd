catalog show --machine tests/data/snapshots/no-such-file.xml
