wsc32 run --validate-only --call tests/data/helper32/install-64-32-refused.json
