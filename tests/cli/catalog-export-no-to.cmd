catalog export data/reference/win7-x86.xml -o $tmp/x.reg
