"""The steering committee's sessions: an agenda of items at the committee stage, votes, minutes."""
