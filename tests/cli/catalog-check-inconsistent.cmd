catalog check --machine tests/data/snapshots/inconsistent-id.xml
