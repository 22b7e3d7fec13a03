"""The review service: routes submissions through approval chains and records every decision."""
