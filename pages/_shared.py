"""What every page shares: cached engine calls, session-state keys, errors, sidebar.

This is the only module with ``st.cache_*`` wrappers. Caches are keyed by
content (a hash of the uploaded bytes), never by file name, and bounded.
Per-user choices live in ``st.session_state``; each key is created once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from churnlab import i18n
from churnlab.catalogue import describe
from churnlab.cohorts import cohort_retention
from churnlab.config import (
    APP_SCORING,
    ChurnDefinition,
)
from churnlab.errors import ChurnlabError
from churnlab.holdout import read_campaign
from churnlab.ingest.loading import (
    LoadedTable,
    ShopData,
    Source,
    combine,
    load_sources,
    load_table,
)
from churnlab.pipeline import (
    ScoredList,
    TrainedModel,
    evaluation_rfm,
    import_training_libraries,
    load_or_train_sample_model,
    model_from_zip,
    ranks_without_reasons,
    reasons_for_ranks,
    score,
    with_reasons,
)
from churnlab.results import CampaignResults, measure
from churnlab.sample import sample_paths
from churnlab.schema import LABEL
from churnlab.spend import with_spend
from churnlab.uplift import UpliftModel, fit_uplift

log = logging.getLogger("churnlab.app")


# Session-state keys (one place, so pages never invent their own).
LANG = "lang"
UPLOADS = "uploads"  # list[Upload]: the user's files, in memory, this session only
DEFINITION = "definition"  # ChurnDefinition chosen on the Model page
USER_MODEL = "user_model"  # TrainedModel trained or loaded by this user, or None
MODEL_KEY = "model_key"  # content key of USER_MODEL's training data + definition
AS_OF = "as_of"
NOTICE = "notice"  # a message key to show once after a rerun (e.g. "model trained")
MEASURED = "measured_save_rate"  # results.planner_save_rate() applied to the planner, or None
UPLIFT = "uplift_model"  # uplift.UpliftModel the planner ranks by, or None
RESULTS = "campaign_results"  # the CampaignResults last shown on Campaign results, or None
TRAINING_JOB = "training_job"  # pages/_training.TrainingJob running or just ended, or None
SPEND = "table_spend"  # {"source": SpendSource | None} a user chose for a table's spend, or None

SAMPLE_KEY = "sample"


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its bytes stay in this session's memory only."""

    name: str
    data: bytes = field(repr=False)
    digest: str
    overrides: tuple[tuple[str, str], ...] = ()
    sheet: str | None = None
    event_codes: tuple[tuple[str, str], ...] = ()  # names the user gave coded event types


_routing = threading.local()


@contextmanager
def running_from_app() -> Iterator[None]:
    """app.py runs the selected page inside this block."""
    _routing.active = True
    try:
        yield
    finally:
        _routing.active = False


def route_through_app() -> None:
    """Make a deep link run through app.py's st.navigation, never the old pages/ mode.

    Streamlit treats a folder named ``pages/`` beside the main script as a
    legacy multipage app until some run of app.py calls ``st.navigation``. A
    visitor who opens /at_risk first on a fresh server would then run the page
    without app.py (no state, no sidebar). Every page calls this first: it turns
    the legacy mode off and reruns, so app.py routes the request.
    """
    if getattr(_routing, "active", False):
        return  # app.py is running this page: nothing to fix
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the legacy mode
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per server process: import the training libraries in the background
    (``import_training_libraries``) while the first visitor to the Data or Model page
    uploads files or sets the churn definition; not on the first page, which it would slow."""
    thread = threading.Thread(
        target=import_training_libraries, name="churnlab-warm-up", daemon=True
    )
    thread.start()
    return thread


def init_state() -> None:
    """Create every session key once, behind a guard."""
    defaults: dict[str, Any] = {
        LANG: "en",
        UPLOADS: [],
        DEFINITION: ChurnDefinition(),
        USER_MODEL: None,
        MODEL_KEY: None,
        AS_OF: None,
        MEASURED: None,
        UPLIFT: None,
        RESULTS: None,
        SPEND: None,
        TRAINING_JOB: None,
    }
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def show_notice() -> None:
    """A success message left by the previous run (it survives the rerun that follows)."""
    key = st.session_state.pop(NOTICE, None)
    if key:
        st.success(tr(key), icon="✅")


def lang() -> str:
    return str(st.session_state.get(LANG, "en"))


def tr(key: str, **values: object) -> str:
    """The current language's text for ``key``."""
    return i18n.t(key, lang(), **values)


def escape(text: object) -> str:
    """Escape user-supplied text before it goes into Markdown (Streamlit shows raw HTML as text)."""
    value = str(text)
    for char in "\\`*_{}[]()#+-.!|<>~$":
        value = value.replace(char, "\\" + char)
    return value


def show_error(error: Exception) -> None:
    """An engine error as a red box with its hint, in the user's language; anything else without a traceback.

    User data inside messages is escaped.
    """
    if isinstance(error, ChurnlabError):
        message, hint = error.render(lang())
        parts = [escape(message)] + ([escape(hint)] if hint else [])
        st.error("\n\n".join(parts), icon="⚠️")
    else:
        log.error("unexpected error in the app", exc_info=error)
        st.error(tr("error.unexpected", kind=type(error).__name__), icon="⚠️")


@contextmanager
def guarded() -> Iterator[None]:
    """Run a block; show any error in the page instead of a traceback."""
    try:
        yield
    except Exception as error:
        show_error(error)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


# ---------------------------------------------------------------- cached engine calls


@st.cache_data(max_entries=32, show_spinner=False)
def _load_upload(
    data_digest: str, name: str, _data: bytes, sheet: str | None, overrides: tuple
) -> LoadedTable:
    return load_table(_data, name=name, sheet=sheet, overrides=dict(overrides) or None)


def load_upload(upload: Upload) -> LoadedTable:
    return _load_upload(upload.digest, upload.name, upload.data, upload.sheet, upload.overrides)


# Shops are held as shared, read-only resources keyed by content: ``cache_data`` would
# unpickle a fresh copy of a million-event log on every page switch.
@st.cache_resource(max_entries=8, show_spinner=False)
def _combined(key: str, _uploads: tuple[Upload, ...]) -> ShopData:
    """The user's files as one shop (relational exports joined), once per set of files."""
    return load_uploads(_uploads)


def load_uploads(uploads: tuple[Upload, ...] | list[Upload], codes: dict | None = None) -> ShopData:
    """Uploads through the engine's one loader: joined, mapped, cleaned (raises its errors)."""
    sources = [Source(u.data, name=u.name, sheet=u.sheet, overrides=u.overrides) for u in uploads]
    named = {code: kind for u in uploads for code, kind in u.event_codes}
    shop = load_sources(sources, event_codes={**(codes or {}), **named} or None)
    shop.source = ", ".join(upload.name for upload in uploads)
    return shop


def load_shop(uploads: list[Upload]) -> ShopData:
    """The shop these uploads make, through the same cache the pages use."""
    return _combined(uploads_key(uploads), tuple(uploads))


def uploads_key(uploads: list[Upload]) -> str:
    return digest(
        "|".join(f"{u.digest}:{u.sheet}:{u.overrides}:{u.event_codes}" for u in uploads).encode()
    )


@st.cache_resource(max_entries=1, show_spinner=False)
def _sample_shop() -> ShopData:
    tables = [load_table(path) for path in sample_paths()]
    return combine(tables, source=SAMPLE_KEY)


def current_shop() -> tuple[ShopData, str]:
    """The data in use (the user's files, else the sample shop) and its content key."""
    uploads: list[Upload] = st.session_state.get(UPLOADS, [])
    if uploads:
        key = uploads_key(uploads)
        return _combined(key, tuple(uploads)), key
    return _sample_shop(), SAMPLE_KEY


def using_sample() -> bool:
    return not st.session_state.get(UPLOADS)


@st.cache_resource(max_entries=1, show_spinner=False)
def _sample_model() -> TrainedModel:
    """Shared by every visitor: trained once per server process, read-only afterwards."""
    return load_or_train_sample_model(_sample_shop())


def current_model() -> TrainedModel | None:
    """The user's model if they trained or loaded one, else the sample model on the sample."""
    model = st.session_state.get(USER_MODEL)
    if model is not None:
        return model
    if using_sample():
        with st.spinner(tr("status.preparing_sample")):
            return _sample_model()
    return None


def set_user_model(model: TrainedModel | None, key: str | None) -> None:
    st.session_state[USER_MODEL] = model
    st.session_state[MODEL_KEY] = key
    st.session_state[SPEND] = None  # another model may have other columns


def score_in_background(model: TrainedModel, key: str, shop: ShopData, shop_key: str) -> None:
    """Score today's customers with a new model while the visitor reads the Model page: the
    at-risk list, overview and report then open from the cache (a page that asks sooner waits
    for this same computation, not a second one: Streamlit holds one lock per cache entry)."""
    args = _score_args(model, key, shop, shop_key)  # the very cache entry the pages read

    def work() -> None:
        with suppress(Exception):  # a failure shows, as a message, on the page that asks
            _score(*args)

    thread = threading.Thread(target=work, name="churnlab-score", daemon=True)
    add_script_run_ctx(thread, get_script_run_ctx())
    thread.start()


def load_model_upload(data: bytes) -> None:
    set_user_model(model_from_zip(data), f"bundle:{digest(data)}")


@st.cache_data(max_entries=16, show_spinner=False)
def _score(model_key: str, shop_key: str, as_of: Any, lang_code: str, _model, _shop) -> ScoredList:
    scoring = dataclasses.replace(APP_SCORING, as_of=as_of)
    return score(_model, _shop, scoring=scoring, lang=lang_code)


def model_key(model: TrainedModel) -> str:
    key = st.session_state.get(MODEL_KEY)
    return key if model is st.session_state.get(USER_MODEL) and key else SAMPLE_KEY


def current_scores() -> ScoredList | None:
    """Today's customers scored by the current model (cached by content)."""
    model = current_model()
    if model is None:
        return None
    shop, shop_key = current_shop()
    scores = _score(*_score_args(model, model_key(model), shop, shop_key))
    chosen = st.session_state.get(SPEND)
    if model.mode == "table" and chosen is not None:
        source = chosen["source"]
        if source is None or source.column in scores.features.columns:
            scores = with_spend(scores, source, model.definition.lookback_days)
    return scores


def _score_args(model: TrainedModel, key: str, shop: ShopData, shop_key: str) -> tuple:
    """``_score``'s arguments, so the background scoring and the pages share one entry."""
    return (key, shop_key, st.session_state.get(AS_OF), lang(), model, shop)


@st.cache_data(max_entries=32, show_spinner=False)
def _reasons(
    model_key: str,
    shop_key: str,
    as_of: Any,
    lang_code: str,
    ranks: tuple[int, ...],
    _model,
    _scores,
) -> pl.DataFrame:
    return reasons_for_ranks(_model, _scores, list(ranks), lang_code)


def fill_reasons(rows: pl.DataFrame, limit: int | None = None) -> pl.DataFrame:
    """Rows of today's list with reasons for their first ``limit`` rows (explained on demand:
    the list explains only its top at once)."""
    model, scores = current_model(), current_scores()
    if model is None or scores is None:
        return rows
    ranks = ranks_without_reasons(scores, rows, limit)
    if not ranks:
        return rows
    _, shop_key = current_shop()
    as_of = st.session_state.get(AS_OF)
    reasons = _reasons(model_key(model), shop_key, as_of, lang(), tuple(ranks), model, scores)
    return with_reasons(rows, reasons)


@st.cache_data(max_entries=16, show_spinner=False)
def _retention(shop_key: str, activity: tuple[str, ...], _events: pl.DataFrame) -> pl.DataFrame:
    return cohort_retention(_events, activity=activity)


def current_retention(activity: tuple[str, ...]) -> pl.DataFrame | None:
    """Cohort retention of the data in use (cached by its content key, not by hashing it)."""
    shop, shop_key = current_shop()
    if shop.events is None:
        return None
    return _retention(shop_key, activity, shop.events)


@st.cache_data(max_entries=16, show_spinner=False)
def _evaluation_rfm(model_key: str, shop_key: str, _model, _shop) -> pl.DataFrame | None:
    return evaluation_rfm(_model, _shop)


def current_evaluation_rfm(model: TrainedModel) -> pl.DataFrame | None:
    """RFM and outcomes at the evaluation cut-off for the current model and data (cached)."""
    shop, shop_key = current_shop()
    return _evaluation_rfm(model_key(model), shop_key, model, shop)


@st.cache_data(max_entries=8, show_spinner=False)
def _campaign_results(
    key: str, _campaign: bytes, _exports: tuple[Upload, ...], salt: str | None
) -> CampaignResults:
    campaign = read_campaign(_campaign)
    shop = combine([load_upload(upload) for upload in _exports], source="results")
    return measure(campaign, shop.events, salt=salt, table=shop.customers)


def campaign_results(
    campaign: Upload, exports: list[Upload], salt: str | None = None
) -> CampaignResults:
    """Results of an uploaded campaign file on uploaded later exports (cached by content)."""
    key = digest("|".join([campaign.digest, *(u.digest for u in exports)]).encode())
    return _campaign_results(key, campaign.data, tuple(exports), salt or None)


@st.cache_resource(max_entries=1, show_spinner=False)
def sample_campaign_results() -> CampaignResults:
    """The sample shop's past campaign, measured once per server process (read-only)."""
    from churnlab.sample_campaign import sample_campaign_paths

    campaign_path, export_path = sample_campaign_paths()
    shop = combine([load_table(export_path)], source=SAMPLE_KEY)
    return measure(read_campaign(campaign_path), shop.events)


def latest_results() -> CampaignResults | None:
    """Results for the report: the ones last shown on Campaign results, else the sample's."""
    results = st.session_state.get(RESULTS)
    if results is None and using_sample():
        try:
            results = sample_campaign_results()
        except ChurnlabError:
            log.warning("the sample campaign cannot be measured")
    return results


@st.cache_resource(max_entries=4, show_spinner=False)
def _uplift_model(key: str, _results: CampaignResults) -> UpliftModel:
    return fit_uplift(_results.outcomes, campaign_id=_results.facts.get("campaign_id", ""))


def uplift_model(results: CampaignResults) -> UpliftModel:
    """The uplift model of measured results (fitted once per distinct outcome; read-only)."""
    outcome = results.outcomes.select("customer_id", "group", "churned").write_csv().encode()
    return _uplift_model(digest(outcome), results)


# ---------------------------------------------------------------- layout helpers


def _labelled_table_uploaded() -> bool:
    """The user's files are a customer table with a churn label (the Model page's table
    mode), so churn is what the label says even before a model is trained."""
    if using_sample():
        return False
    # the files are loaded (and cached) for the page anyway; a failure shows there, in words
    with suppress(Exception):
        shop, _ = current_shop()
        return (
            shop.events is None and shop.customers is not None and LABEL in shop.customers.columns
        )
    return False


def sidebar() -> None:
    """Language switch and the status of data, churn definition and model."""
    with st.sidebar:
        st.selectbox(
            "Language / 语言",
            options=list(i18n.LANGUAGES),
            format_func=lambda code: i18n.LANGUAGE_NAMES[code],
            key=LANG,
        )
        if using_sample():
            st.caption(tr("sidebar.data_sample"))
        else:
            names = ", ".join(escape(u.name) for u in st.session_state[UPLOADS])
            st.caption(tr("sidebar.data_files", names=names))
        definition: ChurnDefinition = st.session_state[DEFINITION]
        model = st.session_state.get(USER_MODEL)
        table = model.mode == "table" if model is not None else _labelled_table_uploaded()
        if table:  # the label column says who churned; no horizon, no look-back
            st.caption(tr("sidebar.definition_table"))
        else:
            st.caption(
                tr(
                    "sidebar.definition",
                    horizon=definition.horizon_days,
                    activity=activity_words(definition.activity),
                    lookback=definition.lookback_days,
                )
            )
        if model is not None:
            key = "sidebar.model_user_table" if table else "sidebar.model_user"
            st.caption(tr(key, auc=model.metrics["model"]["roc_auc"]))
        elif using_sample():
            st.caption(tr("sidebar.model_sample"))
        else:
            st.caption(tr("sidebar.model_none"))


def running_job() -> Any:
    """The training job (``pages/_training.TrainingJob``) still running, or None."""
    job = st.session_state.get(TRAINING_JOB)
    return job if job is not None and not job.done.is_set() else None


def need_model() -> TrainedModel | None:
    """The current model, or an explanation of how to get one."""
    with guarded():
        model = current_model()
        if model is None:
            if running_job() is not None:  # pages/_training.py
                st.info(tr("model.training_running"), icon="⏳")
            else:
                st.info(tr("model.none_yet"), icon="ℹ️")
                st.page_link("pages/model.py", label=tr("nav.model"), icon="🧠")
        return model
    return None


def activity_words(activity: tuple[str, ...]) -> str:
    """What counts as staying, in the current language ("purchase" -> "购买")."""
    from churnlab.catalogue import event_type_name

    return " / ".join(
        tr("activity.any") if a == "any" else event_type_name(a, lang()) for a in activity
    )


def range_filter(label: str, column: Any, key: str, *, up_to_median: bool = False) -> Any:
    """A range slider over a numeric column; returns the row mask (missing values fall outside).

    ``up_to_median`` starts with the lower half selected, so a comparison has two groups.
    """
    import polars as pl

    values = column.cast(pl.Float64)
    finite = values.drop_nulls().drop_nans()
    low, high = (float(finite.min()), float(finite.max())) if finite.len() else (0.0, 1.0)
    if low == high:
        high = low + 1.0
    upper = float(finite.median()) if up_to_median and finite.len() else high
    chosen = st.slider(label, low, high, (low, upper), key=key)
    return values.is_between(*chosen).fill_null(False).to_numpy()


def pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f} %"


def money(value: float) -> str:
    return f"¥{value:,.0f}"


def plot(figure: Any, key: str | None = None) -> None:
    st.plotly_chart(figure, width="stretch", key=key, config={"displaylogo": False})


def list_columns() -> dict[str, Any]:
    """Headers (in the reader's language) and formats of a scored list's columns, wherever
    the list is shown: the at-risk list and the list of *Score new data*."""
    return {
        "churn_probability": st.column_config.ProgressColumn(
            tr("atrisk.col.probability"), format="percent", min_value=0.0, max_value=1.0
        ),
        "risk_band": tr("atrisk.col.band"),
        "monetary": st.column_config.NumberColumn(tr("atrisk.col.value"), format="¥%.0f"),
        "rank": tr("atrisk.col.rank"),
        "customer_id": tr("atrisk.col.customer"),
        "reason_1": tr("atrisk.col.reason", k=1),
        "reason_2": tr("atrisk.col.reason", k=2),
        "reason_3": tr("atrisk.col.reason", k=3),
        "customer_value": st.column_config.NumberColumn(
            tr("atrisk.col.customer_value"), format="¥%.0f"
        ),
        "expected_net_gain": st.column_config.NumberColumn(
            tr("atrisk.col.net_gain"), format="¥%.2f"
        ),
        "recommended_action": tr("atrisk.col.action"),
        "recency_days": st.column_config.NumberColumn(
            tr("atrisk.col.recency"), help=describe("recency_days").text(lang())
        ),
        "frequency": st.column_config.NumberColumn(
            tr("atrisk.col.frequency"), help=describe("frequency").text(lang())
        ),
    }
