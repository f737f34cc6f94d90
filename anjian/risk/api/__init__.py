"""The risk app's API (issue 9 items 4 and 5)."""
