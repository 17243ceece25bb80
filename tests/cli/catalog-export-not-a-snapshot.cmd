catalog export --to=reg tests/data/reg/win7-x86.reg -o $tmp/x.reg
