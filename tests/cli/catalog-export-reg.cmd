catalog export --to=reg data/reference/win7-x86.xml -o $tmp/win7.reg
