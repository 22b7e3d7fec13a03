"""Contracts and plumbing both services rely on: settings, events, broker, outbox and inbox."""
