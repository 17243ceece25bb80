catalog check --machine tests/data/snapshots/truncated.xml
