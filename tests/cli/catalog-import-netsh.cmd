catalog import --from=netsh tests/data/netsh/lavasoft-win10-x64.txt -o $tmp/l.xml
