catalog diff ref:win10-x64 data/reference/win10-x64.xml
