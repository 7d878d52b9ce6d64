"""The local projector page (extra ``wordvec[web]``: FastAPI + uvicorn).

``wordvec serve MODEL`` or :func:`serve` runs it; :func:`create_app` builds the FastAPI app.
FastAPI, uvicorn and plotly are imported only when the app is built.
"""

from wordvec.web.server import create_app, serve

__all__ = ["create_app", "serve"]
