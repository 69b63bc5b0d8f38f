"""The live federation as the simulation sees it: a browser, the bank, the service, the servers."""
