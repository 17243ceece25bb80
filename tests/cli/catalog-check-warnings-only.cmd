catalog check --machine tests/data/snapshots/leftover-layer.xml
