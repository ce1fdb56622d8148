"""The booking bot: the dialog (a table of steps over abstract messages and hotel services) and the NLU."""
