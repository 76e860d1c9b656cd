"""Names shared by every layer: column roles, canonical event types, file kinds.

After reading and mapping, every export becomes one of two canonical Polars frames
(see docs/ARCHITECTURE.md):

* events: ``customer_id`` (String), ``timestamp`` (Datetime[us], naive, UTC for
  zoned input), ``event_type`` (String, canonical names below), and the optional
  role columns that the file had: ``amount`` (Float64, always >= 0), ``quantity``
  (Float64), ``order_id``, ``session_id``, ``product_id``, ``category``, ``channel``, ``coupon``
  (String), ``rating`` (Float64), ``review_text``, ``service_text`` (String: what the
  customer wrote; read for sentiment, never exported).
* customers: ``customer_id`` (String), attribute columns (String or Float64 or
  Datetime), and an optional ``label`` (Int8, 1 = churned).
"""

from __future__ import annotations

from typing import Final, Literal

CUSTOMER_ID: Final = "customer_id"
TIMESTAMP: Final = "timestamp"
EVENT_TYPE: Final = "event_type"
AMOUNT: Final = "amount"
QUANTITY: Final = "quantity"
UNIT_PRICE: Final = "unit_price"
ORDER_ID: Final = "order_id"
SESSION_ID: Final = "session_id"
PRODUCT_ID: Final = "product_id"
CATEGORY: Final = "category"
RATING: Final = "rating"
CHANNEL: Final = "channel"
COUPON: Final = "coupon"
REVIEW_TEXT: Final = "review_text"
SERVICE_TEXT: Final = "service_text"
LABEL: Final = "label"

EVENT_ROLES: Final[tuple[str, ...]] = (
    CUSTOMER_ID,
    TIMESTAMP,
    EVENT_TYPE,
    AMOUNT,
    QUANTITY,
    UNIT_PRICE,
    ORDER_ID,
    SESSION_ID,
    PRODUCT_ID,
    CATEGORY,
    RATING,
    CHANNEL,
    COUPON,
    REVIEW_TEXT,
    SERVICE_TEXT,
)
TEXT_ROLES: Final[tuple[str, ...]] = (REVIEW_TEXT, SERVICE_TEXT)
ROLES: Final[tuple[str, ...]] = (*EVENT_ROLES, LABEL)

# Canonical event types. Unknown types from a file are kept as they are.
VIEW: Final = "view"
SEARCH: Final = "search"
CART: Final = "cart"
FAVORITE: Final = "favorite"
PURCHASE: Final = "purchase"
REFUND: Final = "refund"
REVIEW: Final = "review"
SERVICE: Final = "service"
CANONICAL_EVENT_TYPES: Final[tuple[str, ...]] = (
    VIEW,
    SEARCH,
    CART,
    FAVORITE,
    PURCHASE,
    REFUND,
    REVIEW,
    SERVICE,
)

FileKind = Literal["events", "customers"]
EVENTS: Final = "events"
CUSTOMERS: Final = "customers"
