"""The bank's blueprints: protocol endpoints, citizen screens, demo pages."""
