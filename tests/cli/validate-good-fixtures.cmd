validate tests/data/manifests/good
