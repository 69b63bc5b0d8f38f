"""Bank login: the broker as an FTN-profile OIDC client of the citizen's online bank."""
