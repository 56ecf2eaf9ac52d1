"""Every change to the repository: new records from templates, one-line edits that keep comments,
renumbering, ids, the repository lock and the journal that makes multi-file changes whole."""
