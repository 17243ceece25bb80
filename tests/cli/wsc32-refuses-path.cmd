wsc32 run --validate-only --call tests/data/helper32/path-refused.json
