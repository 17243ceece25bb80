validate --jobs 3 tests/data/manifests/bad manifests
