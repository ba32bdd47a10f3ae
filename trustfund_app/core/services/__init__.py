"""One service per aggregate; each owns its sessions and transactions."""
