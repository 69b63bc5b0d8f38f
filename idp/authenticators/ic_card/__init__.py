"""ID-card login: a Web eID token from the reader bridge, checked against the issuing CA.

The certificate is checked for purpose, chain, validity and OCSP status."""
