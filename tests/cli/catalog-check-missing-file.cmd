catalog check --machine tests/data/snapshots/no-such-file.xml --format=json
