"""JSON API of field work, one module per sub-domain."""
