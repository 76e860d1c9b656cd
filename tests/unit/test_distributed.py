"""churnlab on a Dask cluster gives the single-process answer (2-worker LocalCluster, sample shop).

Tolerance of "the same list": Spearman rank correlation of the churn probabilities >= 0.99 and
the same customers in the top 1 %. The path is built to be exact (same cut-offs, same feature
rows, same booster), so these bounds leave room only for floating-point summation order.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from churnlab import distributed as dd
from churnlab.cli import main
from churnlab.config import ChurnDefinition, ScoringConfig, Settings, TrainingConfig
from churnlab.distributed import cluster
from churnlab.distributed import features as dfeatures
from churnlab.errors import ConfigError, DataError
from churnlab.features import build_scoring_set, build_training_set
from churnlab.ingest.loading import load_files
from churnlab.pipeline import score, train
from churnlab.sample import sample_paths

pytestmark = pytest.mark.timeout(240)

FAST = Settings(
    training=TrainingConfig(
        seed=0, tuning_seconds=60, max_trials=2, early_stopping_rounds=10, max_trees=60
    )
)


def _sample_files() -> tuple[Path, Path]:
    paths = [Path(p) for p in sample_paths()]
    events = next(p for p in paths if p.name.startswith("events"))
    customers = next(p for p in paths if p.name.startswith("customers"))
    return events, customers


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample log as three Parquet parts, cut across customers (rows in file order)."""
    events, _ = _sample_files()
    folder = tmp_path_factory.mktemp("parts")
    frame = pl.read_parquet(events)
    n = frame.height
    for i in range(3):
        frame[i * n // 3 : (i + 1) * n // 3].write_parquet(folder / f"part-{i}.parquet")
    return folder


@pytest.fixture(scope="module")
def reference():
    events, customers = _sample_files()
    return load_files([events, customers])


@pytest.fixture(scope="module")
def client():
    with dd.connect("local:2", processes=True, memory_limit="2GB") as c:
        yield c


@pytest.fixture(scope="module")
def dask_shop(client, parts: Path) -> dd.DaskShop:
    _, customers = _sample_files()
    return dd.load_shop(client, parts, [customers], n_buckets=3)


@pytest.fixture(scope="module")
def spread_training(dask_shop: dd.DaskShop):
    return dfeatures.build_training_set(dask_shop, ChurnDefinition())


@pytest.fixture(scope="module")
def trained(reference):
    return train(reference, FAST)


def test_the_log_is_split_by_customer(dask_shop: dd.DaskShop, reference) -> None:
    assert dask_shop.n_events == reference.events.height
    ids = dask_shop.client.gather(
        dask_shop.client.map(lambda f: set(f.get_column("customer_id")), dask_shop.live())
    )
    assert sum(len(s) for s in ids) == len(set().union(*ids))  # no customer in two buckets


def test_same_cutoffs_and_features(spread_training, reference) -> None:
    single = build_training_set(reference.events, reference.customers, ChurnDefinition())
    spread = spread_training
    assert spread.plan.cutoffs == single.plan.cutoffs
    assert spread.plan.eval_cutoff == single.plan.eval_cutoff
    assert spread.plan.validation_cutoffs == single.plan.validation_cutoffs
    assert spread.plan.as_of == single.plan.as_of
    assert spread.plan.warnings == single.plan.warnings
    assert spread.feature_names == single.feature_names
    assert spread.categorical == single.categorical
    assert spread.bgnbd == single.bgnbd
    assert_frame_equal(spread.frame, single.frame)


def test_a_large_training_set_comes_as_a_sample_of_whole_customers(
    dask_shop, spread_training
) -> None:
    full = spread_training
    part = dfeatures.build_training_set(
        dask_shop, ChurnDefinition(), max_rows=full.frame.height // 4
    )
    assert 0 < part.frame.height < full.frame.height // 2
    kept = part.frame.get_column("customer_id").unique()
    whole = full.frame.filter(pl.col("customer_id").is_in(kept.implode()))
    assert_frame_equal(part.frame, whole)  # every row of a kept customer, nothing else
    assert [w.key for w in part.plan.warnings] == ["dask.warning.sampled"]
    assert "seeded sample of" in str(part.plan.warnings[0])


def test_same_scoring_features(dask_shop: dd.DaskShop, reference, trained) -> None:
    definition = trained.definition
    single = build_scoring_set(
        reference.events,
        reference.customers,
        definition,
        feature_names=trained.feature_names,
        categorical=trained.categorical,
        bgnbd_params=trained.bgnbd_params,
    )
    spread = dfeatures.build_scoring_set(
        dask_shop,
        definition,
        None,
        feature_names=trained.feature_names,
        categorical=trained.categorical,
        bgnbd_params=trained.bgnbd_params,
    )
    assert spread.plan.as_of == single.plan.as_of
    assert_frame_equal(spread.frame, single.frame)


def _agree(a: pl.DataFrame, b: pl.DataFrame) -> None:
    """Spearman >= 0.99 over every customer and the same top 1 %."""
    from scipy.stats import spearmanr

    joined = a.select("customer_id", "churn_probability").join(
        b.select("customer_id", pl.col("churn_probability").alias("other")), on="customer_id"
    )
    assert joined.height == a.height == b.height
    rho = spearmanr(joined["churn_probability"], joined["other"]).statistic
    assert rho >= 0.99
    top = max(1, a.height // 100)
    assert set(a.sort("rank").head(top)["customer_id"]) == set(
        b.sort("rank").head(top)["customer_id"]
    )


def test_train_and_score_give_the_single_process_list(dask_shop, reference, trained) -> None:
    spread_model = dd.train(dask_shop, FAST)
    assert spread_model.document["plan"] == trained.document["plan"]
    assert spread_model.document["feature_names"] == trained.document["feature_names"]
    single = score(trained, reference, scoring=ScoringConfig(max_explained=200))
    spread = dd.score(spread_model, dask_shop, scoring=ScoringConfig(max_explained=200))
    _agree(single.frame, spread.frame)
    assert spread.as_of == single.as_of
    # predicted by xgboost.dask on the workers, equal to ChurnModel.predict_proba here
    np.testing.assert_allclose(
        spread.frame["churn_probability"].to_numpy(),
        single.frame["churn_probability"].to_numpy(),
        atol=1e-6,
    )
    # the list's reasons come from exact SHAP of the same rows
    assert (
        single.frame["reason_1"].head(50).to_list() == spread.frame["reason_1"].head(50).to_list()
    )
    np.testing.assert_allclose(
        spread.shap_values[:200], single.shap_values[:200], rtol=1e-6, atol=1e-9
    )


def test_cli_trains_and_scores_on_the_cluster(client, parts: Path, tmp_path: Path) -> None:
    _, customers = _sample_files()
    model = tmp_path / "model"
    common = ["--dask", client.scheduler_info()["address"]]  # a running scheduler
    glob = str(parts / "*.parquet")
    args = ["train", glob, str(customers), "--out", str(model), "--max-trials", "1"]
    assert main([*args, "--tuning-seconds", "30", *common]) == 0
    out = tmp_path / "list.csv"
    assert main(["score", str(model), glob, str(customers), "--out", str(out), *common]) == 0
    listed = pl.read_csv(out, comment_prefix="#")
    assert listed.height > 1000 and listed["rank"][0] == 1
    html = tmp_path / "report.html"
    assert (
        main(["report", str(model), str(parts), str(customers), "--out", str(html), *common]) == 0
    )
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_unreachable_scheduler() -> None:
    with pytest.raises(ConfigError) as info, dd.connect("tcp://127.0.0.1:1", timeout=1):
        pass
    assert info.value.key == "error.dask.unreachable"
    assert "tcp://127.0.0.1:1" in str(info.value)


def test_a_worker_that_dies_is_a_clear_error() -> None:
    import os

    import dask

    once = dask.config.set({"distributed.scheduler.allowed-failures": 0})
    with once, pytest.raises(ConfigError) as info, dd.connect("local:1", memory_limit="1GB") as c:
        c.submit(os._exit, 1).result()
    assert info.value.key == "error.dask.worker_died"


def test_local_needs_a_number() -> None:
    with pytest.raises(ConfigError) as info:
        cluster.local_workers("local:many")
    assert info.value.key == "error.dask.local_workers"
    assert cluster.local_workers("local:3") == 3
    assert cluster.local_workers("tcp://10.0.0.5:8786") is None


def test_workers_without_churnlab(client) -> None:
    cluster.check_workers(client)  # these have it
    with pytest.raises(ConfigError) as info:
        cluster.check_workers(client, module="churnlab_not_installed_here")
    assert info.value.key == "error.dask.no_churnlab"
    assert info.value.values["n"] == 2


def test_glob_matching_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DataError) as info:
        dd.resolve_parts(tmp_path / "*.parquet")
    assert info.value.key == "error.dask.no_parts"
    code = main(
        ["train", str(tmp_path / "*.parquet"), "--out", str(tmp_path / "m"), "--dask", "local:1"]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: No Parquet file matches")


def test_parts_of_different_logs(client, parts: Path, tmp_path: Path) -> None:
    other = pl.read_parquet(parts / "part-0.parquet").drop("amount", "rating")
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.parquet").write_bytes((parts / "part-1.parquet").read_bytes())
    other.write_parquet(folder / "b.parquet")
    with pytest.raises(DataError) as info:
        dd.load_shop(client, folder)
    assert info.value.key == "error.dask.parts_differ"


def test_a_part_that_is_not_an_event_log(client, tmp_path: Path) -> None:
    _, customers = _sample_files()
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "part-0.parquet").write_bytes(customers.read_bytes())
    with pytest.raises(DataError) as info:  # raised on a worker, arrives with its key
        dd.load_shop(client, folder)
    assert info.value.key == "error.dask.part_not_events"
    assert info.value.hint_key == "error.dask.part_not_events.hint"


def test_event_log_among_customer_tables(client, parts: Path) -> None:
    with pytest.raises(ConfigError) as info:
        dd.load_shop(client, parts / "part-0.parquet", [parts / "part-1.parquet"])
    assert info.value.key == "error.dask.events_outside_parts"


def test_missing_dask_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ConfigError) as info:
        cluster.require_dask()
    assert info.value.key == "error.dask.missing"
    assert "requirements-dask.txt" in str(info.value)


def test_churnlab_does_not_import_dask() -> None:
    code = "import sys, churnlab, churnlab.distributed; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
