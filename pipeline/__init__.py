"""The plan-cycle reporting pipeline: 编制 → 实施 → 评估 → 调整 for district plan documents."""

__version__ = "0.1.0"
