"""The bundled demo shop: a deterministic, fictional online shop with churn that has causes.

With no upload the app opens on this shop, so every page needs a believable story: churn is
driven by bad experiences (refunds, low ratings, service contacts), coupon dependence, membership
level, acquisition channel, city tier and tenure, and leavers usually fade out over weeks before
their last order. Some leave abruptly and some loyal customers pause and come back (noise).

The simulation is a loop over weeks (about 105), vectorised over customers; events are then
expanded from sessions with ``np.repeat``, so 200,000 customers (~10M events) stay fast.
See ``sample_data/README.md`` for the data dictionary and the behaviours a model should find.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from churnlab.errors import ConfigError, DataError

log = logging.getLogger(__name__)

SAMPLE_DIR: Path = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_FILES: tuple[str, ...] = ("events.parquet", "customers.parquet")
DEFAULT_END = dt.date(2026, 10, 31)

GENDERS = ("female", "male", "unknown")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55+")
CITY_TIERS = ("tier 1", "tier 2", "tier 3", "tier 4")
CHANNELS = ("app", "web", "mini-program")
LEVELS = ("regular", "silver", "gold", "platinum")
EVENT_TYPES = ("view", "search", "cart", "favorite", "purchase", "refund", "review", "service")
# (name, number of products, median price in yuan)
CATEGORIES = (
    ("apparel", 320, 129.0),
    ("beauty", 220, 99.0),
    ("electronics", 140, 499.0),
    ("home", 200, 89.0),
    ("food", 180, 45.0),
    ("sports", 120, 159.0),
    ("baby", 100, 119.0),
    ("books", 120, 39.0),
)
# Coupon codes: the sales-peak codes, then the everyday ones. Discount share of the order value.
COUPONS = ("618SALE", "D11BIG", "D1212", "NEWYEAR", "WELCOME10", "VIP15", "SAVE10", "FLASH20")
COUPON_RATE = np.array([0.15, 0.20, 0.12, 0.12, 0.10, 0.15, 0.10, 0.20])

# Weekly hazard effects (log scale) of the static attributes, and the dynamic ones.
LEVEL_EFFECT = np.array([0.0, -0.35, -0.8, -1.3])
CHANNEL_EFFECT = np.array([-0.2, 0.0, 0.5])
TIER_EFFECT = np.array([-0.25, 0.0, 0.2, 0.45])
BASE_HAZARD = 0.0018
EXPERIENCE_EFFECT = 0.5
TRIGGER_EFFECT = 0.3
COUPON_GAP_EFFECT = 1.6
NEW_CUSTOMER_EFFECT = 2.0


@dataclass
class SampleShop:
    """The generated shop: an event log and a customer table in canonical form."""

    events: pl.DataFrame
    customers: pl.DataFrame


def _season(start: dt.date, n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Daily purchase intensity (weekday pattern x sales peaks) and the promotion code per day.

    The code is an index into COUPONS for 618, Double 11, 12.12 and New Year days, else -1.
    """
    dates = [start + dt.timedelta(days=int(i)) for i in range(n_days)]
    weekday = np.array([0.95, 0.93, 0.95, 1.0, 1.08, 1.12, 1.02])
    factor = np.empty(n_days)
    promo = np.full(n_days, -1, dtype=np.int8)
    for i, d in enumerate(dates):
        f = weekday[d.weekday()]
        if d.month == 6 and d.day <= 17:
            f *= 1.5 + 0.06 * d.day
            promo[i] = 0
        elif d.month == 6 and d.day == 18:
            f *= 4.0
            promo[i] = 0
        elif d.month == 6 and d.day <= 25:
            f *= 0.85
        elif d.month == 11 and d.day <= 10:
            f *= 1.6 + 0.1 * d.day
            promo[i] = 1
        elif d.month == 11 and d.day == 11:
            f *= 6.0
            promo[i] = 1
        elif d.month == 11 and d.day <= 20:
            f *= 0.8
        elif d.month == 12 and d.day == 12:
            f *= 2.2
            promo[i] = 2
        elif (d.month == 12 and d.day >= 26) or (d.month == 1 and d.day <= 3):
            f *= 1.4
            promo[i] = 3
        factor[i] = f
    return factor, promo


def _check_args(customers: int, days: int) -> None:
    if not 10 <= customers <= 5_000_000:
        raise ConfigError("error.sample.customers_range", customers=customers)
    if not 120 <= days <= 3650:
        raise ConfigError("error.sample.days_range", days=days)


def generate_sample(
    customers: int = 5000,
    seed: int = 0,
    end: dt.date = DEFAULT_END,
    days: int = 730,
) -> SampleShop:
    """Generate the fictional shop: ``days`` days of events ending on ``end`` (inclusive)."""
    _check_args(customers, days)
    rng = np.random.default_rng(seed)
    n = customers
    start = end - dt.timedelta(days=days - 1)
    n_weeks = (days + 6) // 7
    day_factor, day_promo = _season(start, n_weeks * 7)
    day_factor[days:] = 0.0  # padding beyond the end of the window

    # --- customers: attributes and latent traits -------------------------------------------
    initial = rng.random(n) < 0.3
    signup_day = np.where(
        initial,
        -rng.integers(1, 730, n),
        # later signups grow slowly over the window (sqrt gives a rising density)
        (np.sqrt(rng.random(n)) * (days - 14)).astype(np.int64),
    )
    gender = rng.choice(3, n, p=[0.56, 0.38, 0.06])
    age = rng.choice(5, n, p=[0.2, 0.36, 0.24, 0.13, 0.07])
    tier = rng.choice(4, n, p=[0.22, 0.33, 0.28, 0.17])
    channel = rng.choice(3, n, p=[0.5, 0.2, 0.3])
    engagement = rng.normal(0.0, 1.0, n)
    tenure_years = np.clip((days - signup_day) / 365.0, 0.0, 2.5)
    level_score = engagement + 0.6 * rng.normal(0.0, 1.0, n) + 0.5 * tenure_years
    cuts = np.quantile(level_score, [0.58, 0.84, 0.95])
    level = np.searchsorted(cuts, level_score)
    price_sens = rng.beta(0.7, 1.8, n)  # most are a little price sensitive, some are coupon hunters
    bad_luck = rng.gamma(0.8, 1.0, n)  # how often orders go wrong for this customer
    satisfaction = rng.normal(0.0, 1.0, n)
    never_buyer = rng.random(n) < 0.08
    main_cat = rng.choice(len(CATEGORIES), n, p=[0.24, 0.17, 0.1, 0.14, 0.13, 0.08, 0.07, 0.07])
    main_cat = np.where((gender == 0) & (rng.random(n) < 0.25), 1, main_cat)  # beauty lovers

    purchase_rate = 0.2 * np.exp(0.4 * engagement) * np.where(never_buyer, 0.0, 1.0)
    visit_rate = 0.025 * np.exp(0.5 * engagement + 0.3 * rng.normal(0.0, 1.0, n))
    static_risk = (
        LEVEL_EFFECT[level]
        + CHANNEL_EFFECT[channel]
        + TIER_EFFECT[tier]
        - 0.3 * engagement
        - 0.3 * satisfaction
        + 0.15 * (age == 0)
    )
    # Noise: some loyal customers go quiet for a while and come back.
    pause_start = np.where(rng.random(n) < 0.12, rng.integers(0, n_weeks, n), n_weeks + 10).astype(
        np.int64
    )
    pause_len = rng.integers(6, 18, n)

    # --- weekly simulation, vectorised over customers -----------------------------------------
    signup_week = np.maximum(signup_day, 0) // 7
    decided_week = np.full(n, 10**6, dtype=np.int64)
    fade_weeks = np.zeros(n, dtype=np.int64)
    # never-buyers browse a little after signing up, then leave
    decided_week[never_buyer] = signup_week[never_buyer]
    fade_weeks[never_buyer] = rng.integers(1, 6, never_buyer.sum())
    experience = np.zeros(n)
    last_bad = np.zeros(n)
    coupon_gap = np.zeros(n)
    purchases: list[tuple[np.ndarray, ...]] = []
    visits: list[tuple[np.ndarray, np.ndarray]] = []
    cust_index = np.arange(n)
    hunter = price_sens > 0.5

    for w in range(n_weeks):
        f = day_factor[w * 7 : w * 7 + 7]
        promo = day_promo[w * 7 : w * 7 + 7]
        if f.sum() == 0:
            break
        started = signup_week <= w
        since = w - decided_week
        gone = since >= fade_weeks
        fade = np.where(
            since >= 0, 0.7 * np.clip(1.0 - (since + 1) / (fade_weeks + 1), 0.0, 1.0), 1.0
        )
        paused = (w >= pause_start) & (w < pause_start + pause_len)
        first_weeks = (w - signup_week <= 1) & (signup_day >= 0)
        mult = np.where(started & ~gone, fade, 0.0) * np.where(paused, 0.05, 1.0)
        # hunters buy mainly in the sales peaks, the others follow the weekday and peaks mildly
        promo_share = (f * (promo >= 0)).sum() / 7.0
        season = f.sum() / 7.0
        week_factor = np.where(hunter, 0.35 + 2.2 * promo_share, season)
        lam = purchase_rate * mult * week_factor * np.where(first_weeks, 2.5, 1.0)
        n_buy = rng.poisson(lam)

        buyers = np.repeat(cust_index, n_buy)
        if buyers.size:
            weights_h = f * np.where(promo >= 0, 4.0, 1.0)
            day_n = rng.choice(7, buyers.size, p=f / f.sum())
            day_h = rng.choice(7, buyers.size, p=weights_h / weights_h.sum())
            day = w * 7 + np.where(hunter[buyers], day_h, day_n)
            code_today = day_promo[day]
            p_coupon = np.clip(
                0.05 + 0.75 * price_sens[buyers] + 0.25 * (code_today >= 0), 0.0, 0.95
            )
            used = rng.random(buyers.size) < p_coupon
            everyday = rng.choice([5, 6, 7], buyers.size, p=[0.25, 0.5, 0.25])
            everyday = np.where(level[buyers] >= 2, everyday, np.where(everyday == 5, 6, everyday))
            first = first_weeks[buyers] & (rng.random(buyers.size) < 0.7)
            code = np.where(code_today >= 0, code_today, np.where(first, 4, everyday))
            code = np.where(used, code, -1)
            refund = rng.random(buyers.size) < np.clip(0.02 + 0.04 * bad_luck[buyers], 0, 0.5)
            review = rng.random(buyers.size) < np.where(refund, 0.6, 0.3)
            rating = np.clip(
                np.rint(
                    4.4
                    + 0.5 * satisfaction[buyers]
                    - 0.35 * bad_luck[buyers]
                    - 2.2 * refund
                    + rng.normal(0.0, 0.8, buyers.size)
                ),
                1,
                5,
            )
            service = rng.random(buyers.size) < np.clip(
                0.015 + 0.35 * refund + 0.03 * bad_luck[buyers], 0, 0.9
            )
            purchases.append((buyers, day, code, refund, review, rating, service))
            bad = refund + (review & (rating <= 2)) + service
            bad_count = np.bincount(buyers, weights=bad, minlength=n)
            couponed = np.bincount(buyers, weights=used, minlength=n) > 0
        else:
            bad_count = np.zeros(n)
            couponed = np.zeros(n, dtype=bool)

        n_visit = rng.poisson(visit_rate * np.maximum(mult, 0.03 * started) * (0.6 + 0.4 * season))
        visitors = np.repeat(cust_index, n_visit)
        if visitors.size:
            visits.append((visitors, w * 7 + rng.choice(7, visitors.size, p=f / f.sum())))

        # Hazard of deciding to leave this week. Last week's bad experiences can trigger a
        # decision directly (softened by membership and the other static traits); their memory
        # keeps the hazard raised for a few weeks. This week's experiences count next week.
        tenure_w = np.maximum(w - signup_week, 0)
        risk = (
            static_risk
            + EXPERIENCE_EFFECT * np.minimum(experience, 2.5)
            + COUPON_GAP_EFFECT * price_sens * np.minimum(coupon_gap, 26.0) / 26.0
        )
        hazard = BASE_HAZARD * np.exp(risk) * (1.0 + NEW_CUSTOMER_EFFECT * np.exp(-tenure_w / 6.0))
        trigger = 1.0 - np.exp(-TRIGGER_EFFECT * last_bad * np.exp(static_risk))
        p_leave = 1.0 - (1.0 - np.clip(hazard, 0.0, 0.9)) * (1.0 - trigger)
        deciding = started & (decided_week > w) & (rng.random(n) < p_leave)
        k = int(deciding.sum())
        decided_week[deciding] = w
        # most leavers fade out over 3-12 weeks; some leave abruptly, above all after a bad order
        abrupt = rng.random(k) < np.where(last_bad[deciding] > 0, 0.5, 0.2)
        fade_weeks[deciding] = np.where(abrupt, rng.integers(0, 2, k), rng.integers(3, 13, k))
        experience = 0.8 * experience + last_bad
        last_bad = bad_count
        coupon_gap = np.where(couponed, 0.0, coupon_gap + 1.0)
        coupon_gap = np.where(started, coupon_gap, 0.0)

    events = _expand_events(rng, purchases, visits, start, days, main_cat, channel)
    cust_ids = _customer_ids(n)
    # The simulation works in weeks, so a first visit can fall a few days before the drawn signup
    # day: the account must exist before its first event.
    first_event = events.group_by("cust").agg(pl.col("timestamp").min().dt.date())
    first_day = np.full(n, days, dtype=np.int64)
    first_day[first_event["cust"].to_numpy()] = (
        (first_event["timestamp"] - start).dt.total_days().to_numpy()
    )
    signup_day = np.minimum(signup_day, first_day)
    epoch_offset = (start - dt.date(1970, 1, 1)).days
    customers_frame = pl.DataFrame(
        {
            "customer_id": cust_ids,
            "signup_date": pl.Series(signup_day + epoch_offset, dtype=pl.Int32).cast(pl.Date),
            "gender": pl.Series(GENDERS).gather(gender),
            "age_band": pl.Series(AGE_BANDS).gather(age),
            "city_tier": pl.Series(CITY_TIERS).gather(tier),
            "acquisition_channel": pl.Series(CHANNELS).gather(channel),
            "membership_level": pl.Series(LEVELS).gather(level),
        }
    )
    events = events.with_columns(pl.Series(cust_ids).gather(events["cust"]).alias("customer_id"))
    events = events.select(
        "customer_id",
        "timestamp",
        "event_type",
        "amount",
        "order_id",
        "product_id",
        "category",
        "rating",
        "channel",
        "coupon",
        "discount",
    )
    log.info("sample shop: %d customers, %d events", n, events.height)
    return SampleShop(events=events, customers=customers_frame)


def _customer_ids(n: int) -> pl.Series:
    width = max(6, len(str(n)))
    digits = pl.Series("customer_id", np.arange(1, n + 1)).cast(pl.String).str.zfill(width)
    return ("C" + digits).alias("customer_id")


HOUR_WEIGHTS = np.array(
    [2, 1, 0.6, 0.4, 0.3, 0.4, 1, 2, 3, 3.5, 4, 4.5, 5.5, 5, 4, 4, 4, 4.5, 5, 6, 7.5, 8, 7, 4.5]
)


def _session_layout(
    counts: list[np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lay out sessions whose events come in blocks (e.g. searches, views, cart...).

    ``counts`` holds, per block, the number of events of each session. Returns per event the
    session index, the block index and the position inside the session (for time offsets).
    """
    per_block = np.stack(counts, axis=1)  # sessions x blocks
    total = per_block.sum(axis=1)
    session = np.repeat(np.arange(total.size), total)
    block = np.repeat(np.tile(np.arange(per_block.shape[1]), total.size), per_block.ravel())
    starts = np.cumsum(total) - total
    position = np.arange(session.size) - np.repeat(starts, total)
    return session, block, position


def _expand_events(
    rng: np.random.Generator,
    purchases: list[tuple[np.ndarray, ...]],
    visits: list[tuple[np.ndarray, np.ndarray]],
    start: dt.date,
    days: int,
    main_cat: np.ndarray,
    home_channel: np.ndarray,
) -> pl.DataFrame:
    """Turn purchase and visit sessions into one event per row (integer-coded columns)."""
    n_cat = len(CATEGORIES)
    cat_sizes = np.array([c[1] for c in CATEGORIES])
    cat_offset = np.cumsum(cat_sizes) - cat_sizes
    cat_weights = cat_sizes / cat_sizes.sum()
    product_cat = np.repeat(np.arange(n_cat), cat_sizes)
    median = np.array([c[2] for c in CATEGORIES])[product_cat]
    price = np.maximum(np.rint(median * rng.lognormal(0.0, 0.55, product_cat.size)), 6.0)
    price = price - np.where(rng.random(price.size) < 0.6, 0.1, 0.0)

    def pick_category(cust: np.ndarray) -> np.ndarray:
        other = rng.choice(n_cat, cust.size, p=cat_weights)
        return np.where(rng.random(cust.size) < 0.65, main_cat[cust], other)

    def pick_product(cat: np.ndarray) -> np.ndarray:
        return cat_offset[cat] + (rng.random(cat.size) * cat_sizes[cat]).astype(np.int64)

    def pick_channel(cust: np.ndarray) -> np.ndarray:
        return np.where(
            rng.random(cust.size) < 0.8, home_channel[cust], rng.integers(0, 3, cust.size)
        )

    def session_start(day: np.ndarray) -> np.ndarray:
        hour = rng.choice(24, day.size, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
        return day * 86400 + hour * 3600 + rng.integers(0, 3600, day.size)

    def offsets(session: np.ndarray, position: np.ndarray) -> np.ndarray:
        gap = np.where(position == 0, 0, 5 + rng.exponential(70.0, session.size).astype(np.int64))
        run = np.cumsum(gap)
        return run - run[np.arange(session.size) - position]  # minus the session's first

    parts: list[dict[str, np.ndarray]] = []

    # --- purchase sessions: searches, views, favourite, cart, purchase ---------------------------
    if purchases:
        p_cust, p_day, p_code, p_refund, p_review, p_rating, p_service = (
            np.concatenate(x) for x in zip(*purchases, strict=True)
        )
    else:
        p_cust = p_day = p_code = np.zeros(0, dtype=np.int64)
        p_refund = p_review = p_service = np.zeros(0, dtype=bool)
        p_rating = np.zeros(0)
    k = p_cust.size
    p_cat = pick_category(p_cust)
    p_product = pick_product(p_cat)
    p_channel = pick_channel(p_cust)
    p_start = session_start(p_day)
    qty = 1 + (rng.random(k) < 0.2) + (rng.random(k) < 0.05)
    gross = price[p_product] * qty
    rate = np.where(p_code >= 0, COUPON_RATE[np.maximum(p_code, 0)], 0.0)
    p_discount = np.round(gross * rate, 2)
    p_amount = np.round(gross - p_discount, 2)
    n_search = (rng.random(k) < 0.5) * (1 + rng.poisson(0.4, k))
    n_view = 1 + rng.poisson(1.4, k)
    n_fav = (rng.random(k) < 0.2).astype(np.int64)
    ones = np.ones(k, dtype=np.int64)
    session, block, position = _session_layout([n_search, n_view, n_fav, ones, ones])
    sec = p_start[session] + offsets(session, position)
    order_rank = np.empty(k, dtype=np.int64)
    order_rank[np.lexsort((p_cust, sec[block == 4]))] = np.arange(1, k + 1)
    etype = np.array([1, 0, 3, 2, 4])[block]
    browse_product = pick_product(p_cat[session])
    is_target = (block >= 2) | ((block == 1) & (position == n_search[session]))
    is_purchase = block == 4
    parts.append(
        _compact(
            {
                "cust": p_cust[session],
                "sec": sec,
                "etype": etype,
                "amount": np.where(is_purchase, p_amount[session], np.nan),
                "order": np.where(is_purchase, order_rank[session], -1),
                "product": np.where(
                    block == 0, -1, np.where(is_target, p_product[session], browse_product)
                ),
                "category": np.where(block == 0, -1, p_cat[session]),
                "rating": np.full(session.size, np.nan),
                "channel": p_channel[session],
                "coupon": np.where(is_purchase, p_code[session], -1),
                "discount": np.where(is_purchase, p_discount[session], np.nan),
            }
        )
    )
    purchase_sec = sec[is_purchase]

    # --- after the order: refunds, reviews, service contacts --------------------------------
    refund_sec = purchase_sec + rng.integers(2 * 86400, 20 * 86400, k)
    review_sec = purchase_sec + rng.integers(2 * 86400, 12 * 86400, k)
    service_sec = np.where(
        p_refund,
        refund_sec - rng.integers(0, 2 * 86400, k),
        purchase_sec + rng.integers(86400, 10 * 86400, k),
    )
    refund_amount = np.round(p_amount * np.where(rng.random(k) < 0.3, 0.5, 1.0), 2)
    for mask, when, etype_code in (
        (p_refund, refund_sec, 5),
        (p_review, review_sec, 6),
        (p_service, service_sec, 7),
    ):
        idx = np.flatnonzero(mask)
        m = idx.size
        parts.append(
            _compact(
                {
                    "cust": p_cust[idx],
                    "sec": when[idx],
                    "etype": np.full(m, etype_code),
                    "amount": refund_amount[idx] if etype_code == 5 else np.full(m, np.nan),
                    "order": order_rank[idx] if etype_code in (5, 6) else np.full(m, -1),
                    "product": p_product[idx] if etype_code in (5, 6) else np.full(m, -1),
                    "category": p_cat[idx] if etype_code in (5, 6) else np.full(m, -1),
                    "rating": p_rating[idx] if etype_code == 6 else np.full(m, np.nan),
                    "channel": home_channel[p_cust[idx]],
                    "coupon": np.full(m, -1),
                    "discount": np.full(m, np.nan),
                }
            )
        )

    # --- browsing sessions without an order ----------------------------------------------
    if visits:
        v_cust = np.concatenate([v[0] for v in visits])
        v_day = np.concatenate([v[1] for v in visits])
        j = v_cust.size
        v_cat = pick_category(v_cust)
        v_channel = pick_channel(v_cust)
        v_start = session_start(v_day)
        counts = [
            (rng.random(j) < 0.45) * (1 + rng.poisson(0.4, j)),
            1 + rng.poisson(1.6, j),
            (rng.random(j) < 0.12).astype(np.int64),
            (rng.random(j) < 0.15).astype(np.int64),
        ]
        session, block, position = _session_layout(counts)
        parts.append(
            _compact(
                {
                    "cust": v_cust[session],
                    "sec": v_start[session] + offsets(session, position),
                    "etype": np.array([1, 0, 3, 2])[block],
                    "amount": np.full(session.size, np.nan),
                    "order": np.full(session.size, -1),
                    "product": np.where(block == 0, -1, pick_product(v_cat[session])),
                    "category": np.where(block == 0, -1, v_cat[session]),
                    "rating": np.full(session.size, np.nan),
                    "channel": v_channel[session],
                    "coupon": np.full(session.size, -1),
                    "discount": np.full(session.size, np.nan),
                }
            )
        )

    # Concatenate column by column, freeing the parts as we go (this is the memory peak).
    merged = {c: np.concatenate([p.pop(c) for p in parts]) for c in _PART_DTYPES}
    sec = merged.pop("sec")
    cust = merged["cust"]
    # One sort key: time, then customer, then event type (all small non-negative integers).
    merged["key"] = (sec << 26) | (cust.astype(np.int64) << 3) | merged["etype"]
    merged["sec"] = sec
    frame = pl.DataFrame(merged).filter(pl.col("sec") < days * 86400).sort("key")
    del merged, sec, cust
    epoch_us = (start - dt.date(1970, 1, 1)).days * 86400 * 1_000_000

    def lookup(values: tuple[str, ...] | list[str], column: str) -> pl.Series:
        idx = frame[column].cast(pl.Int64)
        idx = pl.select(pl.when(idx >= 0).then(idx)).to_series()
        return pl.Series(values).gather(idx)

    products = [f"P{i:05d}" for i in range(1, product_cat.size + 1)]
    order = pl.col("order")
    return frame.select(
        pl.col("cust"),
        (pl.col("sec") * 1_000_000 + epoch_us).cast(pl.Datetime("us")).alias("timestamp"),
        lookup(EVENT_TYPES, "etype").alias("event_type"),
        pl.col("amount").fill_nan(None),
        pl.when(order >= 0).then("O" + order.cast(pl.String).str.zfill(8)).alias("order_id"),
        lookup(products, "product").alias("product_id"),
        lookup([c[0] for c in CATEGORIES], "category").alias("category"),
        pl.col("rating").fill_nan(None).cast(pl.Float64),
        lookup(CHANNELS, "channel").alias("channel"),
        lookup(COUPONS, "coupon").alias("coupon"),
        pl.col("discount").fill_nan(None),
    )


_PART_DTYPES: dict[str, type] = {
    "cust": np.int32,
    "sec": np.int64,
    "etype": np.int8,
    "amount": np.float64,
    "order": np.int32,
    "product": np.int16,
    "category": np.int8,
    "rating": np.float32,
    "channel": np.int8,
    "coupon": np.int8,
    "discount": np.float64,
}


def _compact(part: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Store a block of events in small integer types to keep 10M events within memory."""
    return {c: np.asarray(part[c]).astype(t, copy=False) for c, t in _PART_DTYPES.items()}


def write_sample(out_dir: str | Path, customers: int = 5000, seed: int = 0) -> list[Path]:
    """Generate the shop and write ``events.parquet`` and ``customers.parquet`` (zstd)."""
    shop = generate_sample(customers=customers, seed=seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in SAMPLE_FILES]
    for frame, path in zip((shop.events, shop.customers), paths, strict=True):
        frame.write_parquet(path, compression="zstd", compression_level=10, statistics=True)
    log.info("sample shop written to %s", out)
    return paths


def sample_paths() -> list[Path]:
    """The committed demo files (events first), checked to exist."""
    return existing_files(SAMPLE_DIR, SAMPLE_FILES)


def existing_files(folder: Path, names: Sequence[str]) -> list[Path]:
    """``folder / name`` for each name, with a clear error naming any that is missing."""
    paths = [folder / name for name in names]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise DataError(
            "error.sample.missing",
            hint="error.sample.missing.hint",
            files=", ".join(missing),
            folder=str(folder),
        )
    return paths


#: The model trained on the committed sample, so the app opens at once.
SAMPLE_MODEL_DIR: Path = SAMPLE_DIR / "model"


def sample_fingerprint(paths: list[Path] | None = None) -> str:
    """SHA-256 of the sample files: a saved sample model is used only for these exact files."""
    import hashlib

    digest = hashlib.sha256()
    for path in paths or sample_paths():
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()
