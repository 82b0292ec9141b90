"""Electronic licences of a department (issue 19 item 4): the list, the PDF, revocation."""
