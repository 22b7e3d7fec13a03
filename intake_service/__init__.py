"""The intake service: units register DVK models and follow them through review."""
