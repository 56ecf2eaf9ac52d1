"""Questions asked of a loaded repository (what is owed, the caseload); results are data."""
