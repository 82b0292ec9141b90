"""govhall: open-source software for a Chinese government service center."""
