"""churnlab on a Dask cluster: the same churn definition, features, model and list when one
process cannot hold the event log.

Dask is an optional extra (``pip install -r requirements-dask.txt``): importing ``churnlab``
or this package never imports it; ``connect`` says how to install it when it is missing.

- ``connect("tcp://scheduler:8786")`` or ``connect("local:4")``: a client, workers checked;
- ``load_shop(client, "events/*.parquet", ["customers.csv"])``: the log read on the
  workers and split by customer hash; customer tables read here and sent to every worker;
- ``train(shop, settings)`` and ``score(trained, shop, scoring=...)``: the same signatures
  and results as ``churnlab.pipeline.train`` / ``score`` (scores predicted by ``xgboost.dask``).
"""

from __future__ import annotations

from churnlab.distributed.cluster import connect
from churnlab.distributed.features import DaskShop, load_shop, resolve_parts
from churnlab.distributed.scoring import score
from churnlab.distributed.training import train

__all__ = ["DaskShop", "connect", "load_shop", "resolve_parts", "score", "train"]
