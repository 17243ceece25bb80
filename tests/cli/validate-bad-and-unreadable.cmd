validate tests/data/manifests/bad/duplicate-id.xml tests/cli/no-such-manifest.xml
