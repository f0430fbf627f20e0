"""Run the zhanchi command line with ``python -m zhanchi``."""

from zhanchi.cli import app

app()
