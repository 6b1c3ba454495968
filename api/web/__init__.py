"""The web shell: the ASGI app, GraphiQL, the landing page, the Browser guide, charts."""
