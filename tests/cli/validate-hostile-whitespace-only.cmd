validate tests/data/hostile/whitespace-only.xml
