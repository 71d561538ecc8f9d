"""Fixtures for the message channels: the robots' stand-in server and settings that trust it."""

from __future__ import annotations

import pytest

from tests.notify import robots as robots_module
from tests.supervision_web import conftest as sw
from tests.web import conftest as web

world = web.world
login = web.login
reported = sw.reported


@pytest.fixture(scope="session")
def robot_server(tmp_path_factory):
    """One HTTPS server for the whole run (a free port of 127.0.0.1)."""
    robots, server = robots_module.start(tmp_path_factory.mktemp("robots"))
    yield robots
    server.shutdown()
    server.server_close()


@pytest.fixture
def robots(robot_server, settings):
    """The server, emptied, with the site allowed to call it and trusting its certificate."""
    robot_server.reset()
    settings.LUOSHI_NOTIFY_HOSTS = ["127.0.0.1"]
    settings.LUOSHI_NOTIFY_CA_FILE = robot_server.ca_file
    settings.LUOSHI_NOTIFY_TIMEOUT = 5
    return robot_server
