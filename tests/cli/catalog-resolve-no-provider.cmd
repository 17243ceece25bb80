catalog resolve --af=irda --type=stream --machine tests/data/snapshots/win10-1709-x64.xml
