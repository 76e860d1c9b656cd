"""Training in a thread of its own, so that it outlives the page run that started it.

Streamlit stops a script run when the visitor opens another page. Training used to run
inside that script run and was lost with it. Now the run that starts it waits for the
thread with a progress bar (the page behaves as before); if the visitor leaves, the thread
goes on, the sidebar shows how far it is, and the first run after it ends makes the model
current (or shows its error). The thread calls the engine only: no Streamlit call, no
session state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import streamlit as st

from churnlab import i18n
from churnlab.config import QUICK_TRAINING, ChurnDefinition, Settings, TrainingConfig
from churnlab.ingest.loading import ShopData
from churnlab.pipeline import TrainedModel, train
from pages._shared import (
    NOTICE,
    TRAINING_JOB,
    current_shop,
    lang,
    running_job,
    score_in_background,
    set_user_model,
    show_error,
    tr,
)

#: How often the page that waits, and the sidebar of any other page, look at the job.
POLL_SECONDS = 0.1
SIDEBAR_POLL_SECONDS = 1.0


@dataclass
class TrainingJob:
    """One training: what it trains on, how far it is, and how it ended."""

    shop: ShopData
    shop_key: str
    model_key: str
    label: str  # message key of the status line
    fraction: float = 0.0
    step: i18n.Message | None = None
    model: TrainedModel | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def progress(self, fraction: float, step: i18n.Message) -> None:
        self.fraction, self.step = min(max(fraction, 0.0), 1.0), step


def start_training(
    shop: ShopData,
    shop_key: str,
    definition: ChurnDefinition,
    training: TrainingConfig | None = None,
) -> TrainingJob:
    """Start training on the current data in a thread; the job is in the session state."""
    training = training or QUICK_TRAINING
    job = TrainingJob(
        shop=shop,
        shop_key=shop_key,
        # two models of the same data differ by their definition and training settings
        model_key=f"{shop_key}:{definition!r}:{training!r}",
        label="model.training" if shop.events is not None else "model.training_table",
    )
    settings = Settings(churn=definition, training=training)

    def work() -> None:
        try:
            job.model = train(shop, settings, progress=job.progress)
        except BaseException as error:  # kept for the page to show, never raised in a thread
            job.error = error
        finally:
            job.done.set()

    st.session_state[TRAINING_JOB] = job
    threading.Thread(target=work, name="churnlab-train", daemon=True).start()
    return job


def train_with_progress(
    shop: ShopData,
    shop_key: str,
    definition: ChurnDefinition,
    training: TrainingConfig | None = None,
) -> bool:
    """Train and wait with visible progress; True when the new model is current. If the
    visitor opens another page meanwhile, training goes on (``adopt_finished_training``)."""
    job = start_training(shop, shop_key, definition, training)
    with st.status(tr(job.label), expanded=True) as status:
        st.caption(tr("model.training_background"))
        bar = st.progress(0.0)
        while not job.done.wait(POLL_SECONDS):
            bar.progress(job.fraction, text=job.step.text(lang()) if job.step else None)
        if job.error is not None:
            status.update(label=tr("model.training_failed"), state="error", expanded=False)
        else:
            status.update(label=tr("model.trained"), state="complete", expanded=False)
    return adopt_finished_training()


def adopt_finished_training(announce: bool = False) -> bool:
    """A job that has ended: its model becomes current (True), or its error shows. Runs at
    the start of every page (``announce``: a toast says so, since the page the visitor is
    on did not start it); the data must still be the data it trained on."""
    job = st.session_state.get(TRAINING_JOB)
    if job is None or not job.done.is_set():
        return False
    st.session_state[TRAINING_JOB] = None
    if job.error is not None:
        # the reason and its hint in full view (an interrupted interpreter is no user error)
        show_error(job.error if isinstance(job.error, Exception) else RuntimeError())
        return False
    _, shop_key = current_shop()
    if shop_key != job.shop_key:  # the visitor changed the files while it trained
        st.warning(tr("model.training_other_data"), icon="⚠️")
        return False
    set_user_model(job.model, job.model_key)
    score_in_background(job.model, job.model_key, job.shop, job.shop_key)
    if announce:
        st.toast(tr("model.trained"), icon="✅")
    else:  # the Model page runs again and shows it
        st.session_state[NOTICE] = "model.trained"
    return True


def show_training_in_sidebar() -> None:
    """While a job runs on after its page was left: how far it is, looked at every second;
    when it ends the whole app runs again, and that run makes the model current."""
    if running_job() is None:
        return

    @st.fragment(run_every=SIDEBAR_POLL_SECONDS)
    def progress() -> None:
        job = st.session_state.get(TRAINING_JOB)
        if job is None or job.done.is_set():
            st.rerun(scope="app")
        st.progress(job.fraction, text=tr("sidebar.training", percent=f"{job.fraction:.0%}"))

    with st.sidebar:
        progress()
