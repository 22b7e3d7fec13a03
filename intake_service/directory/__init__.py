"""The org directory: the org tree with its history, units (collective bodies) and their people."""
