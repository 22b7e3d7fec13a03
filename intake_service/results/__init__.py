"""Result reports: a model's figures, narrative and evidence for one reporting period."""
