repair --format=json --machine tests/data/snapshots/repairable-x64.xml
