"""Least squares with basis expansions."""
