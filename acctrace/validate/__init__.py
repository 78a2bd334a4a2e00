"""Prove the telemetry: plan account-creation tests, check the collected logs, fix the gaps.

`plan` writes a PowerShell script that creates and deletes one disabled test account per
creation method (knowledge/validation_methods.yaml); `check` hunts the logs collected
afterwards and says, per method, what was seen and attributed, with the exact fix for
each gap; `fix_kit` writes those settings ready to deploy. See docs/validate.md.
"""
