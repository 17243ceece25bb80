catalog import --from=netsh tests/data/netsh/windows-internals-elided.txt -o $tmp/e.xml
