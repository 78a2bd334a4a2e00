"""Windows setup context: the first local accounts that setup itself creates as SYSTEM.

Read from the finding alone (its creator, SID, creating chain and the 4720's record id),
so the answer does not depend on which other files were hunted with it.
"""

from __future__ import annotations

import re

from acctrace import knowledge
from acctrace.assess.tools import basename
from acctrace.findings import Finding

_RID = re.compile(r"^S-1-5-21-\d+-\d+-\d+-(\d+)$", re.IGNORECASE)


def relative_id(sid: str | None) -> int | None:
    """The RID of a domain or local account SID (S-1-5-21-a-b-c-RID)."""
    match = _RID.match(sid or "")
    return int(match.group(1)) if match else None


def setup_context(finding: Finding) -> str | None:
    """Why this creation is Windows setup's own, or None when it is not."""
    rules = knowledge.load("windows_setup")
    creator, account = finding.creator, finding.account
    if creator is None or creator.kind != rules["creator"] or account.scope != rules["scope"]:
        return None
    rid = relative_id(account.sid)
    first, last = rules["rids"]
    if rid is None or not first <= rid <= last:
        return None
    setup_images = set(rules["processes"])
    chain = [finding.process.image] if finding.process else []
    chain += [a.image for a in finding.lineage]
    in_chain = next((basename(i) for i in chain if basename(i) in setup_images), None)
    if in_chain:
        return f"setup process {in_chain} in the creating chain"
    if finding.process is not None:
        return None  # a known creating process that is not setup's rules setup out
    record = next(
        (s.record_id for s in finding.sources if s.role == "creation" and s.event_id == 4720), None
    )
    if record is not None and record <= rules["first_records"]:
        return f"its 4720 is record {record} of the host's Security log, among its first events"
    return None
