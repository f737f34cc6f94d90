"""A Mosquitto of the test run's own (issue 10 item 3, "Must show"): started with the project's shipped settings
(deploy/mosquitto.conf, included as an operator would include it) on a free port, with its persistence in the test's
temporary directory. The machine's broker on 1883 keeps Mosquitto's defaults (1000 queued messages per client, then
silent drops), so the tests never use it.

Without a `mosquitto` binary the tests skip with the reason; under CI (`CI=true`) that is a failure.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[3] / "deploy" / "mosquitto.conf"
START_TIMEOUT = 10.0


def _binary() -> str:
    found = shutil.which("mosquitto") or next(
        (path for path in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto") if os.access(path, os.X_OK)), None)
    if found is None:
        message = "mosquitto is not installed (apt-get install mosquitto)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true makes this a failure")
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Broker:
    """One running Mosquitto: `url` for anjian (mqtt://127.0.0.1:<port>), `restart()` keeps its persistence."""

    binary: str
    directory: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def write_config(self) -> Path:
        included = self.directory / "conf.d"
        included.mkdir(exist_ok=True)
        (included / "anjian.conf").write_text(SHIPPED.read_text())
        config = self.directory / "mosquitto.conf"
        config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            # Started as root, Mosquitto drops to the user `mosquitto`, which may not write the test's directory.
            f"user {getpass.getuser()}\n"
            f"persistence_location {self.directory}/\n"
            f"include_dir {included}\n"
        )
        return config

    def start(self) -> Broker:
        config = self.write_config()
        with (self.directory / "mosquitto.log").open("ab") as log:
            # The binary found on this machine and a configuration file written above: no outside input.
            self.process = subprocess.Popen([self.binary, "-c", str(config)],  # noqa: S603
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mosquitto exited: {(self.directory / 'mosquitto.log').read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not listen on {self.port} within {START_TIMEOUT} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # SIGTERM: Mosquitto writes its persistence file on the way out.
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def mosquitto(tmp_path) -> Iterator[Broker]:
    """A fresh broker per test (its queue and sessions start empty)."""
    broker = Broker(_binary(), tmp_path, free_port()).start()
    try:
        yield broker
    finally:
        broker.stop()
