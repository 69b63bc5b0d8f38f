"""The service's blueprints: shared pages, the login protocol, and each service's own pages."""
