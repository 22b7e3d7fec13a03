"""Approval chains as configuration: which stages an item goes through, chosen by rules."""
