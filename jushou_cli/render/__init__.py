"""Renderers: typed results → text, JSON, annotations, Markdown, HTML, PDF. Nothing here decides
what is true; it only presents."""
