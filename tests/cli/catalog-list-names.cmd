catalog list --names
