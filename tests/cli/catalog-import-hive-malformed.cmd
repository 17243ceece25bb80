catalog import --from=hive tests/data/reg/win7-x86.reg -o $tmp/x.xml
