"""Why a request was denied: sentences, clauses, cues and the reason rules."""
