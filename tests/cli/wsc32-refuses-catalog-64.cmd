wsc32 run --validate-only --call tests/data/helper32/catalog-64-refused.json
