"""The ground floor: what every stage shares (user errors, built-in data folders, names)."""
