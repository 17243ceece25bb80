wsc32 run --validate-only --step tests/data/helper32/catalog-64-refused.json
