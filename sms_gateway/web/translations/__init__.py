"""English labels of the interface, one module per part (Indonesian is the key)."""
