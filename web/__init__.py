"""The reviewer and clerk web app: FastAPI + Jinja2, server-rendered, minimal JavaScript."""
