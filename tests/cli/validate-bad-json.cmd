validate --format=json tests/data/manifests/bad/chain-too-long.xml
