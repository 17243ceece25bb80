catalog resolve --af=inet --type=stream --format=json --machine tests/data/snapshots/no-such-file.xml
