plan --format=json --machine data/reference/win2000-x86.xml manifests/sdk-sample-foobar-win2000.xml
