"""The administration's progress report to the regional conference (R9): docs/progress-report.md."""
