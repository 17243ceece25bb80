validate --jobs 300 manifests
