"""`python -m clearway.cli`: the same command as the installed `clearway` script."""

from clearway.cli.main import app

app()
