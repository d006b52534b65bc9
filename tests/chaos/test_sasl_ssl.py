"""SASL_SSL with SCRAM-SHA-512 and a CA file, end to end on a real broker.

A second private broker gets a SASL_SSL listener with a certificate signed by a throw-away CA
and one SCRAM user. The worker (Faust/aiokafka), the publisher and the reader (kafka-python)
all connect through it with the options ``stancewire.kafka_config`` derives from the
STANCEWIRE_KAFKA_* settings; a wrong password makes the worker exit non-zero; the password
never appears in the worker's log.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chaos_articles import valid_article
from chaos_harness import PORT_OFFSET, ChaosTopics, WorkerProcess, wait_for, worker_env
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from pydantic import SecretStr

from stancewire import kafka_config
from stancewire.settings import Settings
from stancewire_dev.broker import BrokerError, LocalBroker

PLAIN_PORT, CONTROLLER_PORT, SASL_SSL_PORT = (19192 + PORT_OFFSET + n for n in range(3))
USER, PASSWORD = "stancewire", "Scram-Chaos-Pa55word"
MECHANISM = "SCRAM-SHA-512"


def make_certificates(folder: Path) -> tuple[Path, Path]:
    """A CA (PEM) and the broker's PEM keystore (PKCS#8 key + certificate for 127.0.0.1)."""
    folder.mkdir(parents=True, exist_ok=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    (folder / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=chaos-ca",
            "-keyout", "ca.key", "-out", "ca.pem")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "server.key", "-out", "server.csr")  # fmt: skip
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "1", "-extfile", "san.cnf",
            "-out", "server.crt")  # fmt: skip
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", "server.key", "-out", "server.pk8")
    keystore = folder / "server.pem"
    keystore.write_text((folder / "server.pk8").read_text() + (folder / "server.crt").read_text())
    return folder / "ca.pem", keystore


class SecureBroker(LocalBroker):
    """The local broker plus a SASL_SSL listener with SCRAM credentials (tests only)."""

    def __init__(self, data_dir: Path, keystore: Path) -> None:
        super().__init__(port=PLAIN_PORT, controller_port=CONTROLLER_PORT, data_dir=data_dir)
        self.keystore = keystore

    def _write_properties(self) -> None:
        super()._write_properties()
        host = self.host
        extra = {
            "listeners": f"PLAINTEXT://{host}:{PLAIN_PORT},CONTROLLER://{host}:{CONTROLLER_PORT},"
            f"SASL_SSL://{host}:{SASL_SSL_PORT}",
            "advertised.listeners": f"PLAINTEXT://{host}:{PLAIN_PORT},"
            f"SASL_SSL://{host}:{SASL_SSL_PORT}",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,"
            "SASL_SSL:SASL_SSL",
            "sasl.enabled.mechanisms": MECHANISM,
            "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": (
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"
            ),
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": str(self.keystore),
        }
        with self.properties_file.open("a", encoding="utf-8") as properties:
            properties.writelines(f"{key}={value}\n" for key, value in extra.items())

    def _format_options(self) -> list[str]:
        return ["--add-scram", f"{MECHANISM}=[name={USER},password={PASSWORD}]"]


@pytest.fixture(scope="module")
def secure_broker(chaos_dir: Path) -> Iterator[tuple[SecureBroker, Path]]:
    ca, keystore = make_certificates(chaos_dir / "tls")
    broker = SecureBroker(chaos_dir, keystore)
    try:
        broker.start(timeout=120)
    except BrokerError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"SASL_SSL broker could not start: {error}")
        pytest.skip(f"SASL_SSL broker could not start: {error}")
    yield broker, ca
    broker.stop()


def secure_settings(ca: Path, password: str = PASSWORD) -> Settings:
    return Settings(
        kafka_bootstrap=f"127.0.0.1:{SASL_SSL_PORT}",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism=MECHANISM,
        kafka_sasl_username=USER,
        kafka_sasl_password=SecretStr(password),
        kafka_ssl_cafile=ca,
    )


def secure_worker(name: str, work_dir: Path, ca: Path, password: str) -> WorkerProcess:
    topics = ChaosTopics.unique(name)
    env = worker_env(
        bootstrap=f"127.0.0.1:{SASL_SSL_PORT}",
        topics=topics,
        group=f"chaos-{name}",
        metrics_port=19290 + PORT_OFFSET + (0 if password == PASSWORD else 1),
        data_dir=work_dir / name,
        guarantee="at_least_once",
        partitions=2,
        max_body_bytes=64 * 1024,
        session_timeout_seconds=6,
    )
    env.update(
        {
            "STANCEWIRE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "STANCEWIRE_KAFKA_SASL_MECHANISM": MECHANISM,
            "STANCEWIRE_KAFKA_SASL_USERNAME": USER,
            "STANCEWIRE_KAFKA_SASL_PASSWORD": password,
            "STANCEWIRE_KAFKA_SSL_CAFILE": str(ca),
            "STANCEWIRE_LOG_LEVEL": "DEBUG",  # client libraries log their configuration here
            "STANCEWIRE_STARTUP_ATTEMPTS": "2",  # a wrong password: give up sooner
        }
    )
    return WorkerProcess(name, env, work_dir / f"{name}.log")


def topic_exists(settings: Settings, topic: str) -> bool:
    consumer = KafkaConsumer(**kafka_config.kafka_python_kwargs(settings), group_id=None)
    try:
        return topic in consumer.topics()
    finally:
        consumer.close()


def test_worker_round_trip_over_sasl_ssl_with_scram_and_a_ca_file(
    secure_broker: tuple[SecureBroker, Path], chaos_dir: Path
) -> None:
    _, ca = secure_broker
    settings = secure_settings(ca)
    worker = secure_worker("sasl-ok", chaos_dir / "sasl", ca, PASSWORD).start()
    topics = (
        worker.env["STANCEWIRE_INPUT_TOPIC"],
        worker.env["STANCEWIRE_OUTPUT_TOPIC"],
        worker.env["STANCEWIRE_DEAD_LETTER_TOPIC"],
    )
    received: dict[str, list[dict[str, Any]]] = {"statements": [], "dead_letters": []}
    try:
        # The worker's admin client creates the topics, through SASL_SSL.
        wait_for(lambda: topic_exists(settings, topics[2]), 180, "topics created over SASL_SSL")
        producer = KafkaProducer(**kafka_config.kafka_python_kwargs(settings), acks="all")
        articles = [workload_article(i) for i in range(2)]
        for article in articles:
            key = article["article_id"].encode()
            producer.send(topics[0], key=key, value=json.dumps(article).encode())
        producer.send(topics[0], key=b"broken", value=b"{not json")
        producer.flush(timeout=60)
        producer.close()

        consumer = KafkaConsumer(
            **kafka_config.kafka_python_kwargs(settings), group_id=None, consumer_timeout_ms=1000
        )
        partitions = [TopicPartition(t, p) for t in topics[1:] for p in (0, 1)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        wanted = {article["article_id"] for article in articles}

        def arrived() -> bool:
            for message in consumer:
                event = json.loads(message.value)
                kind = "statements" if message.topic == topics[1] else "dead_letters"
                received[kind].append(event)
            seen = {event["article_id"] for event in received["statements"]}
            return wanted <= seen and len(received["dead_letters"]) >= 1

        wait_for(arrived, 180, "statements and a dead letter over SASL_SSL", poll=0.1)
        consumer.close()
    finally:
        exit_code = worker.terminate()
    assert exit_code == 0, worker.log_tail()
    assert received["dead_letters"][0]["error_type"] == "invalid_json"
    log_text = worker.log_path.read_text(errors="replace")
    assert "sasl" in log_text.lower()  # DEBUG logging of the clients was on
    assert PASSWORD not in log_text


def test_wrong_password_makes_the_worker_exit_non_zero(
    secure_broker: tuple[SecureBroker, Path], chaos_dir: Path
) -> None:
    _, ca = secure_broker
    worker = secure_worker("sasl-bad", chaos_dir / "sasl", ca, "not-the-password").start()
    started = time.monotonic()
    wait_for(lambda: not worker.alive, 240, "the worker to give up on authentication")
    assert worker.exit_code not in (None, 0), worker.log_tail()
    print(f"\nwrong password: exit {worker.exit_code} after {time.monotonic() - started:.0f} s")
    assert "not-the-password" not in worker.log_path.read_text(errors="replace")


def workload_article(index: int) -> dict[str, Any]:
    return valid_article(index, random.Random(index), "sasl")
