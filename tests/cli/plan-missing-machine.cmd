plan --machine tests/cli/no-such-machine.xml manifests/contoso-web-filter.xml
