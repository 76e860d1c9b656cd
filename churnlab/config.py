"""Settings as frozen dataclasses: the one source of every default.

Each field is documented in README.md (a test checks that every field name
appears there). ``validate()`` raises ``ConfigError`` with words for people;
nothing is validated in ``__init__`` so that partial settings can be built
and then checked once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from churnlab.errors import ConfigError
from churnlab.spend import SpendSource


@dataclass(frozen=True)
class ChurnDefinition:
    """What "churned" means and which windows are used around a cut-off date."""

    horizon_days: int = 90
    """A customer churned when they have no qualifying activity this many days after the cut-off."""
    activity: tuple[str, ...] = ("purchase",)
    """Event types that count as staying; ("any",) means every event counts."""
    lookback_days: int = 365
    """The population at a cut-off: customers with qualifying activity this many days before it."""
    cutoff: dt.date | None = None
    """The evaluation cut-off; None picks the latest one whose horizon ends inside the data."""
    cutoff_step_days: int = 30
    """Days between consecutive training cut-offs."""
    max_cutoffs: int = 12
    """At most this many training cut-offs are stacked (newest first)."""

    def validate(self) -> ChurnDefinition:
        if not 7 <= self.horizon_days <= 730:
            raise ConfigError("error.config.horizon", days=self.horizon_days)
        if not 14 <= self.lookback_days <= 3650:
            raise ConfigError("error.config.lookback", days=self.lookback_days)
        if not self.activity:
            raise ConfigError("error.config.no_activity")
        if not 7 <= self.cutoff_step_days <= 365:
            raise ConfigError("error.config.cutoff_step")
        if not 1 <= self.max_cutoffs <= 60:
            raise ConfigError("error.config.max_cutoffs")
        return self

    @property
    def counts_any_activity(self) -> bool:
        return "any" in self.activity


@dataclass(frozen=True)
class TrainingConfig:
    """How the model is fitted and tuned."""

    seed: int = 0
    """Random seed: the same data and seed give the same model and list."""
    tuning_seconds: float = 30.0
    """Time budget for the automatic parameter search (checked between trials). The
    first trials are the defaults with and without the linear prior; later ones add
    little on most shops, so the budget is short by default."""
    max_trials: int = 16
    """At most this many parameter sets are tried."""
    tuning_patience: int = 3
    """The search stops when this many trials in a row (after the defaults) have not improved
    the best validation log loss by more than 0.5 %: later trials only tie, and the parsimony
    rule picks among ties anyway. Deterministic, unlike the time budget."""
    max_tuning_rows: int = 100_000
    """Tuning fits on a customer sample of at most this many rows and stops its trees early on a
    validation sample of at most this many: every trial costs the same on a big shop as on a
    mid-sized one. 50,000 was measured and rejected: 2x faster tuning at 10M events, but at 1M
    (5 s app budget) the noisier trials chose a deeper, worse model (ROC AUC 0.847 vs 0.849)."""
    max_fit_rows: int = 200_000
    """Event logs: the evaluated and final fits use a seeded sample of whole customers of
    at most this many rows (customer × cut-off). Past a couple of hundred thousand rows more rows
    barely move the model while time and memory grow with them; the evaluation always uses
    every row."""
    early_stopping_rounds: int = 40
    """Stop adding trees when the time-based validation loss has not improved for this many."""
    max_trees: int = 1000
    """Upper bound on the number of trees."""
    learning_rate: float | None = None
    """Learning rate of the default trials (None: ``model.DEFAULT_PARAMS``' 0.05, or
    ``big_shop_learning_rate`` on a big shop). A higher rate needs fewer trees, so fitting and
    explaining get faster at a small cost in log loss; the quick app model uses 0.15. Random
    trials draw their own."""
    search_up_to_rows: int | None = 200_000
    """Event logs with more labelled rows than this (customer × cut-off, before any sampling)
    are big shops: tuning is the default trials alone (with and without the linear prior) at
    ``big_shop_learning_rate``, without the random search. On big shops the search found
    nothing: at 3M events (two seeds) it moved out-of-time ROC AUC by −0.001 and +0.0002 for
    twice the training time, at 10M by +0.00003 (every trial within 0.6 % validation log loss
    of the others; bench/RESULTS.md). None: always search (the app's tuned model does)."""
    big_shop_learning_rate: float = 0.1
    """Learning rate of a big shop's default trials (see ``search_up_to_rows``)."""
    big_shop_max_depth: int = 3
    """Tree depth of a big shop's default trials. As good as 4 there (3M events, four seeds:
    ROC AUC 0.8478 against 0.8472, log loss 0.4493 against 0.4489; 10M: 0.9502 against 0.9500)
    and quicker to explain (10M events: exact SHAP for 12,000 customers 0.41 s instead of 0.65 s;
    the parsimony rule)."""

    def searches(self, labelled_rows: int) -> bool:
        """Whether tuning runs the random search on a shop with this many labelled rows."""
        return self.search_up_to_rows is None or labelled_rows <= self.search_up_to_rows

    def validate(self) -> TrainingConfig:
        if self.tuning_seconds <= 0:
            raise ConfigError("error.config.time_budget")
        if self.max_trials < 1:
            raise ConfigError("error.config.max_trials")
        for rate in (self.learning_rate, self.big_shop_learning_rate):
            if rate is not None and not 0.0 < rate <= 1.0:
                raise ConfigError("error.config.learning_rate")
        if not 1 <= self.big_shop_max_depth <= 10:
            raise ConfigError("error.config.max_depth")
        return self


@dataclass(frozen=True)
class ScoringConfig:
    """How today's customers are scored and banded."""

    as_of: dt.date | None = None
    """Score as of this date; None means the day after the last event."""
    top: int | None = None
    """Keep only the highest-risk N customers in the list."""
    reasons: int = 3
    """Number of plain-language reasons per customer."""
    max_explained: int = 10_000
    """Exact SHAP values and reasons for the highest-risk N customers (the ones a campaign
    contacts). Further down a very long list reasons are left empty in the list and computed
    when a customer is looked up in the app (well under a second); raise it to export
    reasons for more customers (about 2 ms per customer on a 2-core machine)."""
    explain_sample: int = 2_000
    """Beyond ``max_explained``, also explain a seeded random sample of this many other
    customers, so the importance, beeswarm and dependence charts describe the whole list
    and not only its top."""
    spend: SpendSource | None = None
    """A customer table's spend column and the period it covers; None: guessed from the
    columns' names (``churnlab.spend``). An event log's spend comes from its amounts."""
    band_odds_ratio: float = 3.0
    """Risk bands compare a customer's odds of churning with the base rate's odds:
    High when at least this many times the base odds, Low when at most 1/this, else Medium.
    At a 10 % base rate High starts at 25 % and Low ends at 3.6 %; at 80 %, 92 % and 57 %."""


@dataclass(frozen=True)
class CampaignConfig:
    """The assumptions of a retention campaign (see churnlab/campaign.py for the formula)."""

    margin: float = 0.30
    """Gross margin as a share of spend (0.30 = 30 %)."""
    value_days: int = 365
    """A customer's value is what they would spend over this many days if they stay."""
    save_rate: float = 0.20
    """Share of would-be churners that the offer keeps."""
    offer_cost: float = 20.0
    """Fixed cost of the offer (e.g. a coupon's face value) for each customer who uses it."""
    discount_rate: float = 0.0
    """Discount as a share of one average order, for each customer who uses the offer."""
    contact_cost: float = 0.5
    """Cost of contacting one customer (message, call time), paid for everyone contacted."""
    budget: float | None = None
    """Cap on the expected campaign cost; None means no cap."""
    min_risk: float = 0.0
    """Contact only customers with at least this churn probability."""
    currency: str = "¥"
    """Currency sign used in summaries and exports."""
    control_share: float = 0.10
    """Share of the selected customers held back as a control group (not contacted), per risk
    band, so that the campaign's effect can be measured afterwards (churnlab/holdout.py)."""
    stale_auc_drop: float = 0.05
    """Campaign results warn "retrain" when the realised ROC AUC of last campaign's scores falls
    this much below the out-of-time AUC the model reported at training."""

    def validate(self) -> CampaignConfig:
        if not 0 < self.margin <= 1:
            raise ConfigError("error.config.margin")
        if not 0 < self.save_rate <= 1:
            raise ConfigError("error.config.save_rate")
        if self.offer_cost < 0 or self.contact_cost < 0:
            raise ConfigError("error.config.costs")
        if not 0 <= self.discount_rate < 1:
            raise ConfigError("error.config.discount")
        if self.budget is not None and self.budget < 0:
            raise ConfigError("error.config.budget")
        if not 0 <= self.min_risk <= 1:
            raise ConfigError("error.config.min_risk")
        if not 1 <= self.value_days <= 3650:
            raise ConfigError("error.config.value_days")
        if not 0 <= self.control_share <= 0.9:
            raise ConfigError("error.config.control_share", share=self.control_share)
        return self


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, grouped."""

    churn: ChurnDefinition = field(default_factory=ChurnDefinition)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    campaign: CampaignConfig = field(default_factory=CampaignConfig)


APP_TUNING_SECONDS: float = 30.0
"""The app's Model page starts its tuning-time slider here when a marketer asks for a tuned
model; scheduled CLI runs use ``tuning_seconds``. Trials finished within a time budget
depend on the machine's speed, so a tuned model can differ between machines."""

APP_SCORING = ScoringConfig(max_explained=1_000, explain_sample=1_000)
"""The app's list explains its top 1,000 customers at once (exact SHAP) and a sample of 1,000
others for the charts: the list appears in about a second on a 1M-event shop. Other rows get
their reasons when a filter shows them (the first 1,000 of a view) or a file is exported
(``pipeline.with_missing_reasons``)."""

APP_EXPORT_REASONS = 20_000
"""At most this many rows of a download get reasons written at export (about 2 s per 10,000
rows with the quick model); a longer export leaves later rows' reasons empty."""

QUICK_TRAINING = TrainingConfig(
    max_trials=2, learning_rate=0.15, max_fit_rows=45_000, max_tuning_rows=30_000
)
"""The app's first model on an upload: the default parameters with and without the linear
prior (no search, so the same on every machine), at three times the learning rate and on a
customer sample of at most 45,000 rows. Out of time it matched the tuned model (1M-event
shop: ROC AUC 0.849 both, training 3 s instead of 30 s; CDNOW 0.778 vs 0.776, bench/RESULTS.md);
the Model page offers the tuned search for when there is time."""


def setting_names() -> list[str]:
    """Every documented setting name, for the docs test."""
    names: list[str] = []
    for cls in (ChurnDefinition, TrainingConfig, ScoringConfig, CampaignConfig):
        names.extend(f.name for f in fields(cls))
    return names
