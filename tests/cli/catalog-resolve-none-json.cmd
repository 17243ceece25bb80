catalog resolve --af=inet6 --type=seqpacket --format=json --machine tests/data/snapshots/win7-x86.xml
