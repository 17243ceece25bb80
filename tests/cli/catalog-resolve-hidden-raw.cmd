catalog resolve --af=inet --type=raw --protocol=1 --machine data/reference/win10-x64.xml
