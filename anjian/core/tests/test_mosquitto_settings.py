"""deploy/mosquitto.conf (issue 10 item 3): with the shipped settings a persistent session's QoS 1 backlog survives
far beyond Mosquitto's default limit of 1000 queued messages per client, and a restart of the broker.

Run: .venv/bin/python -m pytest anjian/core/tests/test_mosquitto_settings.py
"""

from __future__ import annotations

import threading
import time

import paho.mqtt.client as mqtt

from anjian.core.testing.mqtt import SHIPPED

BACKLOG = 5_000  # five times Mosquitto's default per-client queue
SESSION = "anjian-ingest-settings-test"


def client(client_id: str, *, persistent: bool) -> mqtt.Client:
    return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=not persistent,
                       protocol=mqtt.MQTTv311)


def test_the_shipped_file_has_no_listener_and_lifts_the_queue_limit():
    settings = dict(line.split(None, 1) for line in SHIPPED.read_text().splitlines()
                    if line.strip() and not line.startswith("#"))
    assert "listener" not in settings and "port" not in settings
    assert settings["persistence"] == "true"
    assert int(settings["max_queued_messages"]) >= 1_000_000


def test_a_backlog_five_times_the_default_limit_survives_a_broker_restart(mosquitto):
    subscribed = threading.Event()
    listener = client(SESSION, persistent=True)
    listener.on_subscribe = lambda *args: subscribed.set()
    listener.connect("127.0.0.1", mosquitto.port)
    listener.loop_start()
    listener.subscribe("anjian/+/+", qos=1)
    assert subscribed.wait(5)
    listener.disconnect()
    listener.loop_stop()

    publisher = client("anjian-settings-publisher", persistent=False)
    publisher.max_inflight_messages_set(200)
    publisher.connect("127.0.0.1", mosquitto.port)
    publisher.loop_start()
    sent = [publisher.publish(f"anjian/91441900MA00000001/T{number % 50:03d}", f'{{"ts": {number}, "v": 1}}', qos=1)
            for number in range(BACKLOG)]
    for info in sent:
        info.wait_for_publish(timeout=30)
    publisher.disconnect()
    publisher.loop_stop()

    mosquitto.restart()  # the queue is on disk (persistence true), not only in memory

    received: set[bytes] = set()
    listener = client(SESSION, persistent=True)
    listener.on_message = lambda _client, _userdata, message: received.add(message.payload)
    listener.connect("127.0.0.1", mosquitto.port)
    listener.loop_start()
    deadline = time.monotonic() + 60
    while len(received) < BACKLOG and time.monotonic() < deadline:
        time.sleep(0.05)
    listener.disconnect()
    listener.loop_stop()
    assert len(received) == BACKLOG
