plan --machine data/reference/win10-x64.xml tests/data/lifecycle/impostor-reuses-msafd.xml
