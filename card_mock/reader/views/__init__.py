"""The bridge's blueprints: pages (index, health, status API), sign, PIN change and unblock."""
