"""The issuer's blueprints: verifier API, certificate status, citizen pages, reset desk."""
