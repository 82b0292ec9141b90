"""One `access_<noun>(user, id, *, for_write=False)` per front-desk object kind. Missing and
forbidden look the same (Http404)."""
