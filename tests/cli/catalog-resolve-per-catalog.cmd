catalog resolve --af=inet --type=stream --protocol=6 --catalog=32 --machine tests/data/snapshots/broken-x64.xml
