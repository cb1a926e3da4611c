"""Rule functions that yield findings; one module per concern."""
