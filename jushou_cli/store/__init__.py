"""Everything that makes loading fast or reads through git, behind one function: store.seam.load
(source × part × findings). The cache store (shelves.py) and what it holds: the document cache,
the kept listing, the query index; partial loads; git object reading; repository templates."""
