"""Award nominations: from the committee's exemplars to a decided commendation, with its dossier."""
