validate tests/data/hostile/external-dtd.xml
