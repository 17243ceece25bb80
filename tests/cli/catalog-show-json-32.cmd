catalog show --machine tests/data/snapshots/broken-x64.xml --catalog=32 --format=json
