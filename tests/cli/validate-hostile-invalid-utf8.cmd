validate tests/data/hostile/invalid-utf8.xml
