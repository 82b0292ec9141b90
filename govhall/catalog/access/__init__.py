"""Who may see and change which catalog objects: the scope (`scope`) and one
`access_<noun>(user, id, *, for_write=False)` per object kind (`lookups`). Missing and forbidden
look the same (Http404)."""
