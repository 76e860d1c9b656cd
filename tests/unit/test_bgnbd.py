"""BG/NBD: the fit recovers known parameters, the closed forms behave, features and bundles."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from churnlab import bgnbd
from churnlab.baselines import BgNbdBaseline
from churnlab.bgnbd import BgNbdParams
from churnlab.config import ChurnDefinition
from churnlab.errors import DataError, ModelError
from churnlab.features import build_scoring_set, build_training_set

#: The published fit on the CDNOW calibration sample (weeks; Fader, Hardie & Lee 2005).
CDNOW = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)


def simulate(params: BgNbdParams, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customers drawn from the BG/NBD story: (x, t_x, T) in weeks."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(params.r, 1.0 / params.alpha, n)
    leave = rng.beta(params.a, params.b, n)
    T = rng.uniform(27.0, 39.0, n)  # first purchases spread over a quarter, as in CDNOW
    t = np.zeros(n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        t_next = t + rng.exponential(1.0 / np.maximum(rate, 1e-300))
        buys = alive & (t_next < T)
        x[buys] += 1
        t_x[buys] = t_next[buys]
        t[buys] = t_next[buys]
        alive = buys & (rng.random(n) >= leave)  # may leave after each repeat purchase
    return x, t_x, T


@pytest.fixture(scope="module")
def simulated() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return simulate(CDNOW, 20_000, seed=1)


def test_fit_recovers_the_parameters_it_was_simulated_from(simulated) -> None:
    fitted = bgnbd.fit(*simulated)
    assert fitted is not None
    assert fitted.r == pytest.approx(CDNOW.r, rel=0.1)
    assert fitted.alpha == pytest.approx(CDNOW.alpha, rel=0.1)
    assert fitted.a == pytest.approx(CDNOW.a, rel=0.25)
    assert fitted.b == pytest.approx(CDNOW.b, rel=0.25)


def test_a_fit_started_near_the_optimum_reaches_the_same_parameters(simulated) -> None:
    """Training starts each cut-off's fit at the previous one's: the answer must not move."""
    cold = bgnbd.fit(*simulated)
    assert cold is not None
    nearby = BgNbdParams(r=cold.r * 1.2, alpha=cold.alpha * 0.8, a=cold.a * 1.3, b=cold.b * 0.7)
    warm = bgnbd.fit(*simulated, start=nearby)
    assert warm is not None and warm != cold  # it did start elsewhere
    for name in ("r", "alpha", "a", "b"):
        assert getattr(warm, name) == pytest.approx(getattr(cold, name), rel=2e-3)
    assert bgnbd.fit(*simulated, start=nearby) == warm  # deterministic


def test_gradient_matches_finite_differences(simulated) -> None:
    x, t_x, T = (v[:500] for v in simulated)
    theta = np.log([0.3, 4.0, 0.8, 2.5])
    exact = bgnbd.gradient(theta, x, t_x, T).sum(axis=1)
    step = 1e-6
    numeric = [
        (
            bgnbd.log_likelihood(theta + step * np.eye(4)[k], x, t_x, T).sum()
            - bgnbd.log_likelihood(theta - step * np.eye(4)[k], x, t_x, T).sum()
        )
        / (2 * step)
        for k in range(4)
    ]
    np.testing.assert_allclose(exact, numeric, rtol=1e-5, atol=1e-4)


def test_fit_is_deterministic_and_samples_large_inputs(simulated) -> None:
    x, t_x, T = simulated
    assert bgnbd.fit(x, t_x, T) == bgnbd.fit(x, t_x, T)
    sampled = bgnbd.fit(x, t_x, T, max_customers=5_000, seed=3)
    assert sampled is not None and sampled != bgnbd.fit(x, t_x, T)
    assert sampled == bgnbd.fit(x, t_x, T, max_customers=5_000, seed=3)
    assert sampled.r == pytest.approx(CDNOW.r, rel=0.3)


def test_fit_refuses_too_few_customers_and_survives_no_repeat_buyers() -> None:
    assert bgnbd.fit(np.zeros(3), np.zeros(3), np.ones(3)) is None
    params = bgnbd.fit(np.zeros(50), np.zeros(50), np.full(50, 10.0))
    assert params is not None
    assert bgnbd.p_alive(params, np.zeros(1), np.zeros(1), np.full(1, 10.0))[0] == 1.0


def test_closed_forms_behave_like_the_story() -> None:
    p = CDNOW
    x = np.array([0.0, 2.0, 2.0, 2.0, 8.0])
    t_x = np.array([0.0, 30.0, 10.0, 2.0, 30.0])
    T = np.full(5, 32.0)
    alive = bgnbd.p_alive(p, x, t_x, T)
    assert alive[0] == 1.0  # nobody leaves before a repeat purchase
    assert alive[1] > alive[2] > alive[3]  # a longer silence: likelier gone
    expected = bgnbd.expected_purchases(p, x, t_x, T, 13.0)
    assert np.all(np.isfinite(expected)) and np.all(expected >= 0)
    assert expected[4] > expected[1] > expected[3]  # more purchases, more to come
    silent = bgnbd.p_silent(p, x, t_x, T, 13.0)
    assert np.all((silent > 0) & (silent < 1))
    assert silent[3] > silent[1]
    # E[purchases] grows with the horizon, P(no purchase) falls with it
    assert np.all(bgnbd.expected_purchases(p, x, t_x, T, 26.0) > expected)
    assert np.all(bgnbd.p_silent(p, x, t_x, T, 26.0) < silent)


def test_expected_purchases_match_a_monte_carlo_of_the_model() -> None:
    """Simulate one customer type forward from the posterior and compare."""
    p, x, t_x, T, t = CDNOW, 3.0, 20.0, 30.0, 13.0
    rng = np.random.default_rng(0)
    n = 400_000
    alive_now = rng.random(n) < bgnbd.p_alive(p, np.array([x]), np.array([t_x]), np.array([T]))[0]
    # posterior of the rate given the history and being alive: Gamma(r + x, alpha + T);
    # of the leaving probability: Beta(a, b + x)
    rate = rng.gamma(p.r + x, 1.0 / (p.alpha + T), n)
    leave = rng.beta(p.a, p.b + x, n)
    clock = np.zeros(n)
    count = np.zeros(n)
    going = alive_now.copy()
    while going.any():
        clock = clock + rng.exponential(1.0 / rate)
        buys = going & (clock < t)
        count[buys] += 1
        going = buys & (rng.random(n) >= leave)
    closed = bgnbd.expected_purchases(p, np.array([x]), np.array([t_x]), np.array([T]), t)[0]
    silent = bgnbd.p_silent(p, np.array([x]), np.array([t_x]), np.array([T]), t)[0]
    assert closed == pytest.approx(count.mean(), rel=0.02)
    assert silent == pytest.approx(float(np.mean(count == 0)), abs=0.005)


def test_params_round_trip_and_refuse_nonsense() -> None:
    assert BgNbdParams.from_dict(CDNOW.to_dict()) == CDNOW
    with pytest.raises(ModelError):
        BgNbdParams.from_dict({"r": 1.0})
    with pytest.raises(ModelError):
        BgNbdParams.from_dict({"r": -1.0, "alpha": 1.0, "a": 1.0, "b": 1.0})


def _events(seed: int = 0, customers: int = 60) -> pl.DataFrame:
    """A tiny purchase log: customers who buy at their own pace and some who stop."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, dt.datetime, float]] = []
    start = dt.datetime(2024, 1, 1)
    for i in range(customers):
        day = float(rng.uniform(0, 90))
        gap = float(rng.uniform(5, 40))
        stop = float(rng.uniform(60, 500))
        while day < min(stop, 480):
            rows.append((f"c{i:03d}", start + dt.timedelta(days=day), float(rng.gamma(2, 20))))
            day += float(rng.exponential(gap))
    ids, times, amounts = zip(*rows, strict=True)
    return pl.DataFrame(
        {"customer_id": list(ids), "timestamp": list(times), "amount": list(amounts)},
        schema={"customer_id": pl.String, "timestamp": pl.Datetime("us"), "amount": pl.Float64},
    ).with_columns(pl.lit("purchase").alias("event_type"))


DEFINITION = ChurnDefinition(horizon_days=60, cutoff_step_days=30, max_cutoffs=6)


def test_training_set_fits_bgnbd_at_every_cutoff_and_scoring_reuses_given_params() -> None:
    events = _events()
    training = build_training_set(events, None, DEFINITION)
    assert set(bgnbd.FEATURES) <= set(training.feature_names)
    assert sorted(training.bgnbd) == training.plan.cutoffs
    fitted = [p for p in training.bgnbd.values() if p is not None]
    assert len(fitted) == len(training.bgnbd) and len(set(fitted)) > 1  # one fit per cut-off
    frame = training.frame
    assert frame.get_column("bgnbd_p_alive").is_between(0.0, 1.0).all()
    assert frame.get_column("bgnbd_expected_purchases").min() >= 0.0

    own = build_scoring_set(events, None, DEFINITION)
    reused = build_scoring_set(events, None, DEFINITION, bgnbd_params=CDNOW)
    assert own.frame.get_column("recency_days").equals(reused.frame.get_column("recency_days"))
    assert not own.frame.get_column("bgnbd_p_alive").equals(
        reused.frame.get_column("bgnbd_p_alive")
    )
    again = build_scoring_set(events, None, DEFINITION, bgnbd_params=CDNOW)
    assert again.frame.equals(reused.frame)


def test_bgnbd_baseline_ranks_by_expected_purchases() -> None:
    X = pl.DataFrame({"bgnbd_expected_purchases": [0.01, 0.05, 0.2, 0.5, 1.0, 2.0, None]})
    y = np.array([1, 1, 1, 0, 1, 0, 0])
    baseline = BgNbdBaseline().fit(X, y)
    p = baseline.predict_proba(X)
    assert np.all(np.diff(p[:6]) < 0)  # fewer expected purchases, more risk
    assert np.isfinite(p[6])
    assert BgNbdBaseline.available(X)
    assert not BgNbdBaseline.available(X.select(pl.lit(None, pl.Float64).alias(X.columns[0])))
    with pytest.raises(DataError):
        BgNbdBaseline().fit(X.rename({"bgnbd_expected_purchases": "other"}), y)


def test_a_saved_model_scores_with_the_bgnbd_fit_of_its_last_cutoff(tmp_path) -> None:
    from churnlab.config import Settings, TrainingConfig
    from churnlab.ingest.loading import ShopData
    from churnlab.pipeline import load_model, save_model, score, train

    events = _events(seed=2, customers=120)
    shop = ShopData(events=events, customers=None, tables=[], source="test")
    tiny = TrainingConfig(tuning_seconds=60, max_trials=1, max_trees=20)
    trained = train(shop, Settings(churn=DEFINITION, training=tiny))
    last = max(trained.training_set.bgnbd)
    assert trained.bgnbd_params == trained.training_set.bgnbd[last]
    assert "bgnbd" in trained.metrics
    loaded = load_model(save_model(trained, tmp_path / "m"))
    assert loaded.bgnbd_params == trained.bgnbd_params
    assert score(loaded, shop).frame.equals(score(trained, shop).frame)
    # the stored fit is what scoring uses: a different fit gives different features
    moved = dict(loaded.document, bgnbd=CDNOW.to_dict())
    other = score(type(loaded)(loaded.model, moved), shop)
    assert not other.features.get_column("bgnbd_p_alive").equals(
        score(loaded, shop).features.get_column("bgnbd_p_alive")
    )


def test_every_event_log_baseline_has_a_name_in_both_languages() -> None:
    from churnlab.i18n import catalogue

    messages = catalogue()
    for name in ("recency", "rfm_logistic", "bgnbd"):
        for key in (f"series.{name}", f"chart.series.{name}"):
            assert key in messages["en"] and key in messages["zh"], key
            assert messages["en"][key] != messages["zh"][key], key


def test_new_features_have_catalogue_entries_and_reasons_in_both_languages() -> None:
    from churnlab.catalogue import CATALOGUE
    from churnlab.reasons import reasons_for_rows

    new = [*bgnbd.FEATURES, "gap_survival", "days_overdue", "orders_slope_12w", "events_slope_12w"]
    for name in new:
        info = CATALOGUE[name]
        assert info.unit and info.text("en") != info.text("zh"), name
    X = pl.DataFrame(
        {
            "bgnbd_p_alive": [0.23, 0.9],
            "bgnbd_p_silent": [0.9, 0.5],
            "bgnbd_expected_purchases": [0.1, 0.4],
            "orders_slope_12w": [-0.05, 0.0],
        }
    )
    contributions = np.array([[0.8, 0.1, 0.0, 0.3], [0.5, 0.0, 0.0, 0.2]])
    english = reasons_for_rows(X, contributions, X.columns, k=2)
    chinese = reasons_for_rows(X, contributions, X.columns, k=2, lang="zh")
    assert english[0] == [
        "Only a 23 % chance they still buy here, given how often and how recently they bought",
        "Weekly orders have been falling over the last 12 weeks (-0.05 a week)",
    ]
    assert "0.4" in english[1][0] and "did not grow" in english[1][1]
    assert "23%" in chinese[0][0] and chinese[0] != english[0]


def test_cutoff_features_read_only_the_past_and_fit_on_everyone() -> None:
    days = pl.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", "b", "c", "d", "d", "e", "f", "f"],
            "_day": [1, 20, 3, 10, 200, 150, 5, 160, 170, 30, 90],
        }
    )
    everyone, params = bgnbd.cutoff_features(days, 180, 90)
    assert everyone.get_column("customer_id").to_list() == ["a", "b", "c", "d", "e", "f"]
    recent, same = bgnbd.cutoff_features(days, 180, 90, since_day=100)
    assert same == params and recent.get_column("customer_id").to_list() == ["c", "d", "e"]
    assert recent.equals(everyone.filter(pl.col("customer_id").is_in(["c", "d", "e"])))
    # b's purchase on day 200 is after the cut-off: b looks the same as without it
    without = bgnbd.cutoff_features(days.filter(pl.col("_day") < 180), 180, 90)
    assert without[0].equals(everyone) and without[1] == params


def test_a_fit_runs_blas_on_one_thread(simulated) -> None:
    """OpenBLAS threads made each small fit three times slower, and the thread count changed
    the last digits of the parameters from one machine to another."""
    from threadpoolctl import threadpool_info

    x, t_x, T = simulated
    bgnbd.fit(x, t_x, T)
    blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert blas and all(lib["num_threads"] == 1 for lib in blas)


@pytest.mark.parametrize(
    "theta", [[-0.7, 1.6, -0.2, 0.9], [1.3, 2.7, -0.8, 2.3], [-3.0, 2.0, 1.0, -2.0]]
)
def test_the_fit_objective_equals_the_per_customer_likelihood_and_gradient(
    simulated, theta: list[float]
) -> None:
    """The fit computes special functions once per distinct x and logs once per distinct time;
    the result must be the very numbers of ``log_likelihood`` and ``gradient`` row by row."""
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in simulated)
    t_x = np.minimum(t_x, T)
    weights = np.random.default_rng(0).random(len(x))
    value, grad = bgnbd._value_and_gradient(np.asarray(theta), bgnbd._Levels.of(x, t_x, T), weights)
    assert value == float(weights @ bgnbd.log_likelihood(np.asarray(theta), x, t_x, T))
    assert np.array_equal(grad, bgnbd.gradient(np.asarray(theta), x, t_x, T) @ weights)
