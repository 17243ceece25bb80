validate tests/data/hostile/xxe-file.xml
