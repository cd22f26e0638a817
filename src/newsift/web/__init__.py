"""The web workbench (``newsift serve``): pages and a REST API over the corpus store."""

from newsift.web.app import create_app

__all__ = ["create_app"]
