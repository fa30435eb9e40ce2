"""`make demo`'s start-up (issue 17, items 1 and 3): a port in use stops it at once without
touching the database; once it listens it leaves the tokens file and the settings file the
CLI reads, and prints the tokens and addresses last; seeding progress shows on a pipe."""

from __future__ import annotations

import io
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from dotenv import dotenv_values
from rich.console import Console
from typer.testing import CliRunner

from clearway.demo import run
from clearway.demo.ports import EXIT_PORT_TAKEN, PortTaken, check_free
from clearway.demo.startup import seeding_progress


@pytest.fixture
def occupied() -> Iterator[int]:
    """A port something else listens on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    yield int(sock.getsockname()[1])
    sock.close()


def _free_port() -> int:
    """A port with its neighbour free too (the partner's), as far as one can tell now."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        try:
            check_free("127.0.0.1", [port, port + 1])
        except PortTaken:
            continue
        return port
    raise RuntimeError("no free pair of ports")


def test_a_taken_port_stops_the_demo_at_once_and_keeps_the_database(
        tmp_path: Path, occupied: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARWAY_DEMO_PARTNER", "0")
    db = tmp_path / "demo.db"
    db.write_bytes(b"yesterday's demo")
    before = db.stat().st_mtime_ns
    started = time.monotonic()
    with pytest.raises(PortTaken) as taken:
        run.run_demo(host="127.0.0.1", port=occupied, rate=1.0, db=db, history=0,
                     log_file=False)
    assert time.monotonic() - started < 5
    message = str(taken.value)
    assert f"Port {occupied} on 127.0.0.1 is not free" in message and "\n" not in message
    assert f"make demo PORT={occupied + 100}" in message
    assert db.read_bytes() == b"yesterday's demo" and db.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]  # nothing written


def test_the_partner_port_is_checked_too(tmp_path: Path, occupied: int,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARWAY_DEMO_PARTNER", "1")
    monkeypatch.setenv("CLEARWAY_COUNTRY_CODE", "RS")  # RS runs with MK beside it
    with pytest.raises(PortTaken, match=f"Port {occupied} "):
        run.run_demo(host="127.0.0.1", port=occupied - 1, rate=1.0, db=tmp_path / "demo.db",
                     history=0, log_file=False)
    assert not (tmp_path / "demo.db").exists()
    with socket.socket() as probe:  # the home port, taken first, was given back
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", occupied - 1))


def test_the_demo_command_says_one_line_and_exits_with_its_status(
        occupied: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearway.cli.main import app

    monkeypatch.setenv("CLEARWAY_DEMO_PARTNER", "0")
    result = CliRunner().invoke(app, ["demo", "--port", str(occupied)])
    assert result.exit_code == EXIT_PORT_TAKEN
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"Port {occupied} on 127.0.0.1 is not free" in lines[0]
    assert "Traceback" not in result.output


def test_seeding_progress_prints_plain_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=120)
    with seeding_progress(console, "Seeding history", 200) as report:
        for done in range(1, 201):
            report(done, 200)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Seeding history: 0/200 (0%)"
    assert lines[-1] == "Seeding history: 200/200 (100%)"
    assert len(lines) == 11 and "Seeding history: 100/200 (50%)" in lines


def test_the_demo_writes_its_tokens_and_settings_and_prints_them_last(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CLEARWAY_DEMO_PARTNER", "0")
    port, db, stop = _free_port(), tmp_path / "var" / "demo.db", threading.Event()
    demo = threading.Thread(target=run.run_demo, kwargs={
        "host": "127.0.0.1", "port": port, "rate": 0.2, "db": db, "history": 0,
        "stop": stop, "log_file": False}, daemon=True)
    demo.start()
    try:
        url, deadline, seen = f"http://127.0.0.1:{port}", time.monotonic() + 240, [""]
        while not _announced(seen, capsys.readouterr().out, url):
            assert demo.is_alive() and time.monotonic() < deadline, "the demo did not start"
            time.sleep(0.5)
        tokens = db.parent / "demo-tokens.txt"
        assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
        officer = next(line.split()[-1] for line in tokens.read_text().splitlines()
                       if line.split()[:1] == ["officer"])
        answer = httpx.get(f"{url}/api/v1/declarations",
                           headers={"Authorization": f"Bearer {officer}"}, timeout=30)
        assert answer.status_code == 200  # the token in the file signs in to the demo
        env_file = db.parent / "clearway.env"
        text = env_file.read_text()
        assert text.startswith("# Written by `make demo`") and "Delete this file" in text
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        values = dotenv_values(env_file)
        assert values["CLEARWAY_DATABASE_URL"] == f"sqlite:///{db.resolve()}"
        assert values["CLEARWAY_PUBLIC_URL"] == url
        assert values["CLEARWAY_MODEL_DIR"] == str(db.resolve().parent / "demo-models")
        assert values["CLEARWAY_COUNTRY_CODE"] == "RS"
        assert Path(values["CLEARWAY_PSEUDONYM_KEYS_FILE"] or "").is_file()
    finally:
        stop.set()
        demo.join(timeout=30)
    assert not demo.is_alive()


def _announced(seen: list[str], more: str, url: str) -> bool:
    """True once the closing lines are out; they must end the output: the tokens, the
    files, then the console address last."""
    seen[0] += more
    lines = [line for line in seen[0].splitlines() if line.strip()]
    if not lines or not lines[-1].startswith("RS console:"):
        return False
    assert lines[-1].startswith(f"RS console: {url}/console")
    assert lines[-2].startswith("Kept in ") and "demo-tokens.txt" in lines[-2]
    assert lines[-3].split()[0] == "trader5" and lines[-3].split()[-1].startswith("cw_")
    feeding = next(i for i, line in enumerate(lines) if line.startswith("Feeding about"))
    assert feeding < lines.index(next(line for line in lines if line.split()[0] == "officer"))
    return True
