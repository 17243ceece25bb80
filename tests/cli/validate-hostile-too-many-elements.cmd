validate tests/data/hostile/too-many-elements.xml
