"""Real-time monitoring of major hazard installations (issue 10)."""
