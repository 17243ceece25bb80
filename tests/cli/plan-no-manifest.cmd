plan --machine data/reference/win10-x64.xml
