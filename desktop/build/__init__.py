"""Building the application bundle (PyInstaller, one folder) and the Debian package: `python -m desktop.build`."""
