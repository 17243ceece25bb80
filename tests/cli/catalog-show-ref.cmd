catalog show --catalog=32 --machine ref:win2000-x86
