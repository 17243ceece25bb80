catalog import --from=reg --format=json tests/data/reg/bad/hex-type-overflow.reg -o $tmp/o.xml
