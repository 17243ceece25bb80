validate tests/data/manifests/bad
