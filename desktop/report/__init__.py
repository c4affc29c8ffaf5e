"""Reading reports: sources -> clean text -> outline -> metadata -> numbers -> indicators -> work items."""
