validate --color=always tests/data/manifests/bad/duplicate-id.xml
