"""评估: progress and status against plan targets, the report context, the evaluation outputs."""
