catalog import --from=reg tests/data/reg/win7-x86.reg -o $tmp/win7.xml
