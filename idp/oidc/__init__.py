"""The OpenID Provider: protocol only. It never names an authentication method."""
