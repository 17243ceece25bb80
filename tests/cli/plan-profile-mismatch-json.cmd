plan --format=json --machine data/reference/win7-x86.xml manifests/contoso-web-filter.xml
