"""Review desk for annual reports on building law-based government (法治政府建设年度报告)."""
__version__ = "0.1.0"
