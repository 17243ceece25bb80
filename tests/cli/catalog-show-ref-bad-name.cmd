catalog show --machine ref:../reference/win10-x64
