"""Reading the catalog, a fixed number of queries each: public guides (`guides`), the staff
lists (`items`) and the spreadsheet export (`export`)."""
