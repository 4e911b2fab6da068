"""One call: the contract conversations use (api), the session that runs it, the registry."""
