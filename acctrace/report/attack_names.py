"""The ATT&CK names and links the SIEM formats carry beside the ids in each finding."""

from __future__ import annotations

TACTIC = ("TA0003", "Persistence", "https://attack.mitre.org/tactics/TA0003/")
TECHNIQUE = ("T1136", "Create Account", "https://attack.mitre.org/techniques/T1136/")
SUBTECHNIQUES = {
    "T1136.001": ("Local Account", "https://attack.mitre.org/techniques/T1136/001/"),
    "T1136.002": ("Domain Account", "https://attack.mitre.org/techniques/T1136/002/"),
}
ANALYTIC_NAME = "Account creation with process lineage and user context"
STRATEGY_URL = "https://attack.mitre.org/detectionstrategies/DET0583/"


def subtechnique(technique_id: str) -> tuple[str, str]:
    return SUBTECHNIQUES.get(technique_id, ("Create Account", TECHNIQUE[2]))
