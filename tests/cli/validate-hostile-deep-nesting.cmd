validate tests/data/hostile/deep-nesting.xml
