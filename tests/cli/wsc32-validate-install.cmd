wsc32 run --validate-only --step tests/data/helper32/install-layered.json
