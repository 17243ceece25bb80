uninstall --machine ref:win10-x64 manifests/contoso-web-filter.xml
