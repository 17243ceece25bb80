catalog import --from=reg tests/data/reg/no-such-file.reg -o $tmp/x.xml
