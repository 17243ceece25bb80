catalog show --format=json --machine tests/data/snapshots/no-such-file.xml
