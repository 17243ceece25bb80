plan --uninstall --machine data/reference/win10-x64.xml manifests/contoso-web-filter.xml
