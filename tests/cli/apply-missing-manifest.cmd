apply --machine data/reference/win10-x64.xml tests/cli/no-such-manifest.xml
