plan --format=json --machine tests/data/snapshots/no-such-file.xml manifests/contoso-web-filter.xml
