"""Wrappers that record Sluice events around third-party clients. None of them imports the
third-party package: they work on the client object you pass in."""
