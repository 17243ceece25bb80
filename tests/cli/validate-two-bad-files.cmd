validate tests/data/manifests/bad/dependency-cycle.xml tests/data/manifests/bad/path32-missing.xml
