repair --machine tests/data/snapshots/broken-x64.xml
