"""The Ray engine on a local two-CPU cluster: the same reports as the local engine, and a killed worker
retried. Marked ``ray`` (a local cluster takes a while to start)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsift.cli import main
from tests.engines.fakes import fill_store, short_articles, stored_reports
from tests.engines.test_local import assert_marker_outcomes, run_marker_articles

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def ray_cluster():
    """One local Ray cluster (2 CPUs) for the module; the engines use it instead of starting their own."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    yield
    ray.shutdown()


def test_ray_and_local_engines_store_identical_reports(tmp_path: Path, ray_cluster):
    articles = short_articles(30)
    stores = {name: fill_store(tmp_path / f"{name}.db", articles) for name in ("local", "ray")}
    for name, url in stores.items():
        result = CliRunner().invoke(
            main, ["corpus", "analyze", "--db", url, "--engine", name, "--workers", "2"]
        )
        assert result.exit_code == 0, result.output
        assert "30 article(s) analysed, 0 failed" in result.output
    local, on_ray = (stored_reports(url) for url in stores.values())
    assert len(local) == 30 and local == on_ray


def test_ray_engine_retries_lost_workers_and_records_failing_articles(
    tmp_path: Path, marker_articles, ray_cluster
):
    assert_marker_outcomes(*run_marker_articles("ray", tmp_path, marker_articles))


def test_more_workers_than_the_cluster_has_cpus_is_one_clear_error(ray_cluster):
    from newsift.engines import make_engine
    from newsift.errors import InputError

    with pytest.raises(InputError, match="has 2 CPU"):
        make_engine("ray", 3).start()
