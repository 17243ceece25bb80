recover --machine ref:win10-x64
