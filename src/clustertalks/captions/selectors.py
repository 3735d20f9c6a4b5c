"""What the player shows of this room comes with the recordings themselves: one row per
recording (PlayerInfo), joined to the recordings query of the materials room."""

RECORDING_JOIN = "captions_info"
