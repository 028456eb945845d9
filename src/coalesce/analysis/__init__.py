"""Analyses built on the engine: calibration, frontier, robustness, compare, backtest, power indices."""
