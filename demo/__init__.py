"""The Con Cuông demo data set: a district as of the first half of 2024, entered through the
services' own interfaces (``python -m demo.load``)."""
