catalog import --from=netsh --allow-partial tests/data/netsh/sangfor-zh-cn.txt -o $tmp/z.xml
