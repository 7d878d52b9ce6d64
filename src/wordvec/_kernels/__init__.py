"""Compiled (numba) training kernels and their slow NumPy twins (reference.py)."""
