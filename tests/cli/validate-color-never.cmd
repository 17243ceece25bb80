validate --color=never tests/data/manifests/bad/duplicate-id.xml
