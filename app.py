"""churnlab: page config, navigation, sidebar status — nothing else."""

import streamlit as st

from pages._shared import init_state, running_from_app, sidebar, tr
from pages._training import adopt_finished_training, show_training_in_sidebar

st.set_page_config(page_title="churnlab", page_icon="📉", layout="wide")
init_state()

navigation = st.navigation(
    {
        tr("nav.group.insight"): [
            st.Page("pages/overview.py", title=tr("nav.overview"), icon="🏠", default=True),
            st.Page("pages/at_risk.py", title=tr("nav.at_risk"), icon="🎯"),
            st.Page("pages/retention.py", title=tr("nav.retention"), icon="📆"),
            st.Page("pages/report.py", title=tr("nav.report"), icon="📄"),
        ],
        tr("nav.group.model"): [
            st.Page("pages/data.py", title=tr("nav.data"), icon="📂"),
            st.Page("pages/model.py", title=tr("nav.model"), icon="🧠"),
            st.Page("pages/performance.py", title=tr("nav.performance"), icon="📈"),
            st.Page("pages/explanations.py", title=tr("nav.explanations"), icon="🔍"),
        ],
        tr("nav.group.operate"): [
            st.Page("pages/score_new.py", title=tr("nav.score_new"), icon="🗓️"),
            st.Page("pages/campaign_results.py", title=tr("nav.campaign_results"), icon="🧪"),
        ],
    }
)
adopt_finished_training(announce=True)  # a training that went on after its page was left
sidebar()
show_training_in_sidebar()
with running_from_app():
    navigation.run()
