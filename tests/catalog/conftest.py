from tests.catalog.fixtures import hub, modelsdev_server, offline_hub  # noqa: F401
