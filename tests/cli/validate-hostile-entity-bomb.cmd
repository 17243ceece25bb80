validate tests/data/hostile/entity-bomb.xml
