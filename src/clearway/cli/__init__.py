"""The `clearway` command: `main.app` and its command groups, one module per room."""
