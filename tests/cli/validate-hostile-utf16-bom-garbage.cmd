validate tests/data/hostile/utf16-bom-garbage.xml
