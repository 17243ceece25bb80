uninstall --machine data/reference/win10-x64.xml
