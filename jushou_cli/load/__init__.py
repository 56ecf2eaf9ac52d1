"""Files → documents → repository, with every problem as a diagnostic: which files a repository
holds (layout.py), bytes → text (source.py), YAML with positions (yamldoc.py), the schemas
(schema.py), one file's layers (reading.py), documents → records (build.py), and the plain,
uncached load of a whole repository (plain.py)."""
