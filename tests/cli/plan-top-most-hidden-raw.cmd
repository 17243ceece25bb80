plan --machine data/reference/win7-x86.xml tests/data/lifecycle/tailwind-icmp.xml
