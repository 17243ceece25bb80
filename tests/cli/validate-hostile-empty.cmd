validate tests/data/hostile/empty.xml
