validate tests/data/hostile/xinclude.xml
