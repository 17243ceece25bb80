validate --format=yaml manifests
