validate tests/data/hostile/binary-garbage.xml
