catalog import --from=reg tests/data/reg/bad/win7-x86-truncated.reg -o $tmp/cut.xml
