"""The public verification page of electronic licences (电子证照, issue 19 item 4)."""
