catalog check --machine tests/data/snapshots/win10-1709-x64.xml
