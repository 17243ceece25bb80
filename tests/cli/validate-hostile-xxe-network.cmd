validate tests/data/hostile/xxe-network.xml
