repair --machine tests/data/snapshots/repairable-x64.xml
