catalog check --machine tests/data/snapshots/broken-x64.xml --format=json
