"""Inspections (kiểm tra): plans, teams (đoàn kiểm tra), their tasks and conclusions."""
