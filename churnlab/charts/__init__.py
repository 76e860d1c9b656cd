"""Every chart as a pure function: data in, ``plotly.graph_objects.Figure`` out.

No Streamlit and no I/O here, so the pages, the HTML report and the tests draw the
same figures. Marketers and managers read them, hence one look everywhere: a plain
title, axis labels with units, percentages shown as %, the model in a strong colour
and baselines in dashed grey, risk bands in fixed colours. All text comes from
``churnlab.i18n.t`` (keys ``chart.*``); feature names arrive already translated.

A package rather than one long module so each area can be read and changed on its own:
``_style`` (the shared look), ``model`` (hold-out curves against the baselines),
``scores`` (score spread, confusion, risk bands), ``timeline`` (windows and churn per
cut-off), ``explanations`` (SHAP), ``customers`` (cohorts and segments), ``campaign``
(profit curve) and ``results`` (campaign results, backtest, Qini). Every figure and
constant is re-exported here, so ``from churnlab.charts import X`` works as before.
"""

from __future__ import annotations

import logging

from churnlab.charts._style import (
    ACCENT_COLOUR,
    BAND_COLOURS,
    BANDS,
    BASELINE_COLOURS,
    BASELINE_DASHES,
    GREY,
    HEIGHT,
    MODEL_COLOUR,
    REFERENCE_COLOUR,
    RISK_SCALE,
    TEMPLATE,
    VALUE_SCALE,
)
from churnlab.charts._style import _finish as _finish
from churnlab.charts._style import _percent_axes as _percent_axes
from churnlab.charts.campaign import profit_curve_figure
from churnlab.charts.customers import (
    cohort_heatmap_figure,
    retention_curves_figure,
    segments_figure,
)
from churnlab.charts.explanations import (
    beeswarm_figure,
    dependence_figure,
    importance_figure,
    waterfall_figure,
)
from churnlab.charts.model import (
    LIFT_LEVELS,
    calibration_figure,
    gains_figure,
    lift_figure,
    pr_figure,
    roc_figure,
)
from churnlab.charts.results import (
    CONTROL_COLOUR,
    TREATMENT_COLOUR,
    backtest_bands_figure,
    qini_figure,
    results_bands_figure,
)
from churnlab.charts.scores import (
    confusion_figure,
    risk_distribution_figure,
    score_distribution_figure,
)
from churnlab.charts.timeline import churn_over_time_figure, timeline_figure

log = logging.getLogger(__name__)

__all__ = [
    "ACCENT_COLOUR",
    "BANDS",
    "BAND_COLOURS",
    "BASELINE_COLOURS",
    "BASELINE_DASHES",
    "CONTROL_COLOUR",
    "GREY",
    "HEIGHT",
    "LIFT_LEVELS",
    "MODEL_COLOUR",
    "REFERENCE_COLOUR",
    "RISK_SCALE",
    "TEMPLATE",
    "TREATMENT_COLOUR",
    "VALUE_SCALE",
    "backtest_bands_figure",
    "beeswarm_figure",
    "calibration_figure",
    "churn_over_time_figure",
    "cohort_heatmap_figure",
    "confusion_figure",
    "dependence_figure",
    "gains_figure",
    "importance_figure",
    "lift_figure",
    "pr_figure",
    "profit_curve_figure",
    "qini_figure",
    "results_bands_figure",
    "retention_curves_figure",
    "risk_distribution_figure",
    "roc_figure",
    "score_distribution_figure",
    "segments_figure",
    "timeline_figure",
    "waterfall_figure",
]
