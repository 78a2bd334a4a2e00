"""Attribution beyond the local session: origins across hosts, services, registry, roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from acctrace.assess.build import build_findings
from acctrace.assess.inventory import InventoryError, load_inventory
from acctrace.assess.origin import Hop, OriginTracer, SessionToTrace
from acctrace.correlate.engine import Engine
from acctrace.correlate.run import correlate, lineage_walker
from acctrace.correlate.trace import OriginQueries, OriginRows, is_remote, origins_of_sessions
from acctrace.correlate.window import Window
from acctrace.findings import HuntResult
from acctrace.normalise.store import EventStore
from acctrace.pipeline import HuntOptions, run
from acctrace.reading import ingest, read_inputs
from acctrace.scenario.writers import write_demo
from acctrace.sources import discover

OTRF = "otrf"


def traced_sessions(archive: Path, target: str = "workstation6") -> list[tuple[dict, Hop]]:
    """Every remote user session on `target` in a real OTRF capture, traced to its origin:
    the correlation gathers the rows, the assessment follows them."""
    store = EventStore()
    for item in discover([archive]):
        ingest(item, store)
    sessions = [
        r
        for r in store.rows["logon"]
        if r["host"] == target and is_remote(r) and not (r["user_name"] or "").endswith("$")
    ]
    engine = Engine()
    engine.load(store.tables())
    queries = OriginQueries(engine, lineage_walker(engine))
    rows = origins_of_sessions(queries, sessions, OriginRows(3, {}, store.host_names))
    hops = OriginTracer(rows).trace_all(
        [SessionToTrace(s["logon_id"], target, s, []) for s in sessions]
    )
    return [(s, hops[s["logon_id"]]) for s in sessions]


def test_psexec_style_session_is_traced_to_the_powershell_on_workstation5(
    shared_data: Path,
) -> None:
    ((session, hop),) = traced_sessions(shared_data / OTRF / "empire_psexec_dcerpc_tcp_svcctl.zip")
    assert (session["logon_id"], session["source_ip"]) == ("0x2990d17", "172.18.39.5")
    assert hop.host == "WORKSTATION5.theshire.local"  # resolved from the address, not given
    assert "Sysmon 3 connections made by that host" in hop.host_evidence
    assert hop.process["image"].lower().endswith("\\powershell.exe")
    assert hop.mechanism == "rpc" and hop.confidence >= 0.9  # DCE/RPC to the service manager
    assert any("172.18.39.6:135" in e for e in hop.evidence)


def test_wmi_sessions_are_traced_to_the_same_source(shared_data: Path) -> None:
    traced = traced_sessions(
        shared_data / OTRF / "empire_wmi_dcerpc_wmi_IWbemServices_ExecMethod.zip"
    )
    assert len(traced) == 4
    assert {hop.host for _, hop in traced} == {"WORKSTATION5.theshire.local"}
    assert all(
        hop.process and hop.process["image"].lower().endswith("powershell.exe") for _, hop in traced
    )


def test_kerberos_sessions_without_an_address_are_traced_by_4648(shared_data: Path) -> None:
    traced = traced_sessions(shared_data / OTRF / "covenant_psremoting_command.zip")
    assert traced and all(s["source_ip"] is None for s, _ in traced)
    for _, hop in traced:
        assert hop.host == "WORKSTATION5.theshire.local"
        assert hop.mechanism == "winrm"  # the 4648 names HTTP/WORKSTATION6, and port 5985
        assert hop.process["image"].endswith("GruntHTTP.exe")
        assert any("(4648)" in e for e in hop.evidence)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> HuntResult:
    return run(write_demo(tmp_path_factory.mktemp("origin"), "event-json"), HuntOptions())


def test_a_psexec_session_names_the_workstation_and_tool(demo: HuntResult) -> None:
    f = next(x for x in demo.findings if x.account.name == "backdoor")
    assert f.origin.host == "WS02.corp.local" and f.origin.source_ip == "10.0.0.102"
    # PsExec copies PSEXESVC over SMB and runs it as a service: the target chain says so.
    assert f.origin.via.mechanism == "service"
    assert any("10.0.0.101:445" in e for e in f.origin.via.evidence)
    assert f.origin.process.image.endswith("PsExec.exe")
    assert [a.image.rsplit("\\", 1)[-1] for a in f.origin.lineage][:1] == ["explorer.exe"]
    text = next(r.text for r in f.verdict.reasons if r.code == "remote_session")
    assert "WS02.corp.local" in text and "psexec.exe" in text
    assert "origin" in {s.role for s in f.sources}


def test_a_system_shell_from_a_service_is_traced_to_its_installer(demo: HuntResult) -> None:
    f = next(x for x in demo.findings if x.account.name == "svc_update")
    assert f.creator.kind == "system"
    assert f.origin.via.mechanism == "service"
    assert f.origin.host == "WS01.corp.local" and f.origin.user == "alice"
    assert f.origin.process.image.endswith("sc.exe")
    assert any("updsvc" in e for e in f.origin.via.evidence)
    assert {4697, 7045} & {s.event_id for s in f.sources if s.role in ("service", "origin")}


def test_the_assessment_runs_no_query(tmp_path: Path, demo: HuntResult) -> None:
    """Correlate, then assess: with the engine closed once the correlation returns, the
    findings, cross-host origins and service installers included, are the hunt's."""
    store = read_inputs(write_demo(tmp_path, "event-json")).store
    engine = Engine()
    correlation = correlate(store.tables(), Window(), engine, host_names=store.host_names)
    engine.con.close()
    findings = {f.id: f for f in build_findings(correlation, HuntOptions())}
    assert {i: f.origin for i, f in findings.items()} == {f.id: f.origin for f in demo.findings}
    origins = [f.origin.process for f in findings.values() if f.origin and f.origin.process]
    assert {p.image.rsplit("\\", 1)[-1] for p in origins} >= {"PsExec.exe", "sc.exe"}


def test_an_inventory_names_hosts_and_roles(tmp_path: Path, demo: HuntResult) -> None:
    inventory = tmp_path / "hosts.csv"
    inventory.write_text(
        "name,ips,role\nWS02.corp.local,10.0.0.102,workstation\n"
        "SRV01,10.0.0.20,server\nDC01,10.0.0.10,domain_controller\n"
    )
    paths = write_demo(tmp_path / "logs", "ecs")
    result = run(paths, HuntOptions(inventory=load_inventory(inventory)))
    by_name = {f.account.name: f for f in result.findings}
    assert by_name["backdoor"].origin.host == "WS02.corp.local"
    assert "inventory" in by_name["backdoor"].origin.host_evidence
    assert by_name["support_tmp"].host_role == "server"
    assert "creation_on_server" in {r.code for r in by_name["support_tmp"].verdict.reasons}
    assert by_name["jdoe"].host_role == "domain_controller"


def test_domain_controllers_are_inferred_from_the_telemetry(
    demo: HuntResult, shared_data: Path
) -> None:
    assert {f.host_role for f in demo.findings if f.host.startswith("DC01")} == {
        "domain_controller"
    }
    real = run([shared_data / "evtx/mdecrevoisier"], HuntOptions())
    roles = {f.account.name: f.host_role for f in real.findings}
    assert roles["admin-kriss"] == "domain_controller"  # rootdc1 logged a domain 4720
    assert roles["toto3"] is None


def test_a_bad_inventory_is_one_line_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "hosts.yaml"
    bad.write_text("- {name: WS01, role: toaster}\n")
    with pytest.raises(InventoryError) as err:
        load_inventory(bad)
    assert str(bad) in str(err.value) and "toaster" in str(err.value)
