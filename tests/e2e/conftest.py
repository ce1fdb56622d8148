import pytest

from guestmsg.testing import FakeGraphAPI

from .odoo_server import OdooServer


@pytest.fixture(scope="session")
def fake_graph():
    with FakeGraphAPI() as graph:
        yield graph


@pytest.fixture(scope="session")
def odoo_server(odoo_runs, tmp_path_factory, encryption_key):
    """Odoo serving the database without demo data, once the Odoo layer has built and tested it."""
    run = odoo_runs["nodemo"]
    run.wait()
    assert run.proc.returncode == 0, f"the database could not be built; see {run.logfile}"
    server = OdooServer(run, tmp_path_factory.mktemp("server"), encryption_key).start()
    yield server
    server.stop()
