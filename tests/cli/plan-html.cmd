plan --format=html --machine data/reference/win7-x86.xml manifests/contoso-parental-x86.xml
