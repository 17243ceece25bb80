validate tests/cli/no-such-file.xml
