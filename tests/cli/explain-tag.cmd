explain chain-too-long
