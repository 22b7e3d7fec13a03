"""The district report: figures, tables, charts and exports for any org unit and period; dashboards."""
