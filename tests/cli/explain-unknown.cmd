explain no-such-tag
