"""AD/ART ratification: draft import, amendments, plenary procedure, consolidated text."""
