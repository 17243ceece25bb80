catalog export --to=reg tests/cli/no-such-snapshot.xml -o $tmp/x.reg
