validate tests/data/manifests/several/ten-mistakes.xml
