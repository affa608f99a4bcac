"""调整: approved target changes → plan versions, and the target in force for any period."""
