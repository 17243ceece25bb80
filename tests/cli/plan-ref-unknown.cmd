plan --machine ref:win11-arm64 manifests/contoso-web-filter.xml
