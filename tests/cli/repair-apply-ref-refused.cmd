repair --apply --machine ref:win7-x86
