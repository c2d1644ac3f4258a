"""compose.yaml and the Dockerfile (docker is not run here): the services reference each other consistently."""

from __future__ import annotations

import re

import yaml

from factories.paths import ROOT


def test_compose_services_reference_each_other_and_the_coach_settings() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "app", "scheduler", "worker"}
    for name, service in services.items():
        for dep in service.get("depends_on", []):
            assert dep in services, f"{name} depends on unknown service {dep}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source.startswith("./") or source in compose["volumes"], f"{name}: volume {source}"
    db = services["db"]["environment"]
    url = services["app"]["environment"]["COACH_DATABASE_URL"]
    found = re.fullmatch(r"postgresql://(\w+):\$\{POSTGRES_PASSWORD[^}]*\}@(\w+):5432/(\w+)", url)
    assert found is not None, url
    assert found.group(1) == db["POSTGRES_USER"] and found.group(3) == db["POSTGRES_DB"]
    assert found.group(2) in services
    scheduler_port = services["scheduler"]["command"][services["scheduler"]["command"].index("--port") + 1]
    worker_target = next(a for a in services["worker"]["command"] if a.startswith("tcp://"))
    assert worker_target == f"tcp://scheduler:{scheduler_port}"
    assert services["app"]["image"] == services["worker"]["image"] == services["scheduler"]["image"]
    # The secrets file is mounted read-only, never baked into the image.
    assert any(v.endswith("secrets.toml:ro") for v in services["app"]["volumes"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '".[team]"' in dockerfile and "secrets.toml" not in dockerfile
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text()
