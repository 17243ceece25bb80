catalog import --from=reg --kind=x86 tests/data/reg/win81-x64.reg -o $tmp/x.xml
