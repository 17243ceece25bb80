validate --format=github tests/data/manifests/bad/ifs-above-non-ifs.xml
