catalog check --strict --machine tests/data/snapshots/leftover-layer.xml
