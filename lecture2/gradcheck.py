"""Finite-difference gradient checks."""
