"""The broker's pages as web pages: security headers and CSP, locale choice, templating, home."""
