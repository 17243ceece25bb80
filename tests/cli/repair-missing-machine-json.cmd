repair --format=json --machine tests/data/machines/does-not-exist.xml
