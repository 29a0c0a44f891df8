"""`itfabrik demo` as a newcomer runs it: migrate, load, serve with the worker, stop on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_env(tmp_path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itfabrik.config.settings.dev",
        "ITFABRIK_DATA_DIR": str(tmp_path / "data"),
    }
    # The demo is SQLite in its data directory; the test run's own settings must not leak in.
    for name in ("DATABASE_URL", "ITFABRIK_DEMO_MODE", "DEBUG", "ITFABRIK_REQUIRE_STAFF_2FA"):
        env.pop(name, None)
    return env


@pytest.mark.own_sqlite_database
def test_demo_prepares_once_serves_and_stops_cleanly_on_ctrl_c(tmp_path):
    env = demo_env(tmp_path)
    prepare = subprocess.run(
        [sys.executable, "-m", "itfabrik.manage", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert prepare.returncode == 0, prepare.stderr
    assert "Dalslandsdemot är laddat" in prepare.stdout
    assert (tmp_path / "data" / "itfabrik.sqlite3").exists()

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "itfabrik.manage", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        status = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/konto/logga-in/", timeout=5
                ) as r:
                    status = r.status
                    body = r.read().decode()
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        assert status == 200, proc.stdout.read() if proc.poll() is not None else "no answer"
        assert "Demoläge" in body
        assert "anvandare-bengtsfors" in body
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0
        assert f"http://127.0.0.1:{port}/" in out
        assert "itfabrik har stoppats." in out
        assert "Dalslandsdemot är laddat" not in out  # the second run reused the data
        # Neither the web server nor the worker outlives the command.
        leftovers = subprocess.run(
            ["pgrep", "-s", str(proc.pid)], capture_output=True, text=True
        ).stdout.split()
        assert leftovers == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
