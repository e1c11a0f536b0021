"""The documented development plan: its file (`model`), writing and reading it (`sheet`), and its PDF/A and calendar (`output`)."""
