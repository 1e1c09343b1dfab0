"""The web app and JSON API (FastAPI), an optional extra: ``pip install 'dyad[web]'``."""
