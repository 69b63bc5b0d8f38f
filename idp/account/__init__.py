"""The citizen's own "my data" pages."""
