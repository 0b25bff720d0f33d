"""HTTP routes: thin adapters from the contract's paths to the use cases."""
