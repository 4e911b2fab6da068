"""CLI commands: each module has ``register(subparsers)`` and a ``run(args) -> int``."""
