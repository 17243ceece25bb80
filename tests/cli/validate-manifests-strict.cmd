validate --strict manifests
