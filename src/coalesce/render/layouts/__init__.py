"""Layouts: one per result type, each turning a result into a neutral `Document` (render/document.py).

A layout decides what is said and in what order; the backends only draw. Layouts are pure: no I/O, no
clock, no terminal.
"""
