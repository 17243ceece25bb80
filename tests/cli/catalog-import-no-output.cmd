catalog import --from=reg tests/data/reg/win7-x86.reg
