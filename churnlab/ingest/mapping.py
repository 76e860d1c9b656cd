"""Matching the columns of an export to churnlab's roles, and naming event types and labels.

Shops export the same facts under many names (``CustomerID``, ``user_id``, ``买家会员名``...).
Names are normalised (case, spaces, underscores, punctuation) and looked up in synonym
lists first; values decide only when the names say nothing. The result is a ``Mapping``
that the user can correct with ``apply_overrides`` (CLI: ``--map role=column``).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from churnlab import schema
from churnlab.counting import value_counts
from churnlab.errors import MappingError
from churnlab.i18n import Message
from churnlab.ingest.reading import RawTable
from churnlab.schema import FileKind

log = logging.getLogger(__name__)

# Synonyms per role, already normalised (see ``normalise_name``), best first.
# fmt: off
_EXACT: dict[str, tuple[str, ...]] = {
    schema.CUSTOMER_ID: (
        "customerid", "custid", "customerno", "customernumber", "customercode", "userid",
        "uid", "memberid", "memberno", "buyerid", "clientid", "accountid", "shopperid",
        "visitorid", "customeruserid", "customer", "user", "member", "buyer", "client",
        "email", "customeremail", "buyeremail", "billingemail", "buyernick", "buyername",
        "customername", "username", "household", "householdid", "householdkey", "householdno",
        "consumerid", "consumer", "shopper", "visitor", "account", "accountno", "accountnumber",
        "memberno", "loyaltyid", "loyaltycard", "cardno", "cardnumber", "clientno",
        "customeruniqueid", "客户id", "用户id", "会员id", "买家id", "顾客id", "客户编号",
        "用户编号",
        "会员编号", "买家编号", "会员卡号", "买家昵称", "买家会员名", "会员名", "买家账号",
        "用户名", "客户名称", "客户", "用户", "顾客编号", "会员号", "会员卡", "卡号",
        "会员", "买家", "顾客",
    ),
    schema.TIMESTAMP: (
        "timestamp", "eventtime", "eventdate", "eventtimestamp", "datetime", "time",
        "date", "invoicedate", "orderdate", "ordertime", "orderdatetime", "createdat",
        "created", "createdate", "createtime", "paidat", "paymentdate", "paytime",
        "purchasedate", "purchasetime", "transactiondate", "transactiontime", "occurredat",
        "ts", "eventts", "eventtimestampms", "timems", "tsms", "unixtime", "epoch", "下单时间", "订单创建时间", "创建时间", "支付时间", "付款时间", "订单付款时间",
        "成交时间", "交易时间", "行为时间",
        "时间戳", "时间", "日期", "下单日期", "订单日期",
    ),
    schema.EVENT_TYPE: (
        "eventtype", "event", "eventname", "action", "actiontype", "behaviortype",
        "behaviourtype", "behavior", "behaviour", "activitytype", "activity",
        "interaction", "type", "行为类型", "事件类型", "行为", "事件", "操作类型", "操作",
    ),
    schema.AMOUNT: (
        "amount", "totalamount", "ordertotal", "ordertotalamount", "total", "totalprice",
        "revenue", "sales", "salesamount", "paymentamount", "amountpaid", "paid",
        "ordervalue", "ordertotalincltax", "gmv", "spend", "value", "lineamount",
        "linetotal", "实付金额", "订单金额", "支付金额", "实收金额", "买家实际支付金额",
        "实际支付金额", "付款金额", "成交金额",
        "总金额", "消费金额", "销售额", "金额",
    ),
    schema.QUANTITY: (
        "quantity", "qty", "lineitemquantity", "units", "itemcount", "quantitypurchased",
        "数量", "购买数量", "商品数量", "宝贝数量", "件数",
    ),
    schema.UNIT_PRICE: (
        "unitprice", "price", "itemprice", "lineitemprice", "productprice", "saleprice",
        "单价", "商品单价", "宝贝单价", "价格", "商品价格", "销售单价",
    ),
    schema.ORDER_ID: (
        "orderid", "ordernumber", "orderno", "ordercode", "order", "invoiceno", "invoice",
        "invoicenumber", "invoiceid", "transactionid", "amazonorderid", "basketid", "basket",
        "receiptid", "receiptno", "receipt", "ticketid", "订单号", "订单编号", "小票号", "小票编号",
        "订单id", "主订单编号", "子订单编号", "交易号", "交易编号", "单号",
    ),
    schema.SESSION_ID: (
        "sessionid", "session", "visitid", "sessionkey", "会话id", "会话", "会话编号",
    ),
    schema.PRODUCT_ID: (
        "productid", "stockcode", "sku", "itemid", "asin", "goodsid", "productcode",
        "lineitemsku", "skuid", "product", "item", "商品id", "商品编号", "宝贝id", "商品编码",
        "商家编码",
        "sku编码", "货号", "商品",
    ),
    schema.CATEGORY: (
        "category", "categorycode", "categoryid", "categoryname", "productcategory",
        "producttype", "department", "类目", "品类", "商品类别", "类目id", "商品类目", "分类",
        "商品分类",
        "类别",
    ),
    schema.RATING: (
        "rating", "stars", "starrating", "reviewscore", "reviewrating", "score", "评分",
        "评价星级", "星级", "评价分数", "打分",
    ),
    schema.CHANNEL: (
        "channel", "saleschannel", "source", "sourcename", "platform", "device",
        "devicetype", "terminal", "utmsource", "渠道", "来源", "终端", "订单来源", "下单渠道",
        "平台",
        "设备",
    ),
    schema.COUPON: (
        "coupon", "couponcode", "discountcode", "promocode", "voucher", "vouchercode",
        "promotionids", "discount", "discountamount", "优惠券", "优惠金额", "优惠", "折扣",
        "优惠券金额",
        "红包", "店铺优惠",
    ),
    schema.REVIEW_TEXT: (
        "reviewtext", "review", "reviews", "reviewcontent", "reviewbody", "reviewcomment",
        "comment", "comments", "commenttext", "feedback", "feedbacktext", "reviewdetail",
        "评价内容", "评论", "评论内容", "评价", "买家评价", "评价详情", "追评", "追加评论",
        "评语", "用户评价",
    ),
    schema.SERVICE_TEXT: (
        "servicetext", "message", "messages", "servicemessage", "servicenote", "servicenotes",
        "chat", "chattext", "chatmessage", "ticketmessage", "tickettext", "ticketbody",
        "complaint", "complainttext", "supportmessage", "supporttext", "inquirytext",
        "客服记录", "客服消息", "客服内容", "聊天记录", "投诉内容", "咨询内容", "留言",
        "买家留言", "售后原因", "投诉", "咨询",
    ),
    schema.LABEL: (
        "churn", "churned", "ischurn", "ischurned", "exited", "attrition", "attritionflag",
        "churnflag", "churnlabel", "haschurned", "流失", "是否流失", "已流失", "流失标记",
        "流失标签",
    ),
}

# Fragments that suggest a role when found inside a longer name (weaker than an exact match).
_CONTAINS: dict[str, tuple[str, ...]] = {
    schema.CUSTOMER_ID: (
        "customerid", "userid", "memberid", "buyerid", "clientid", "客户id", "用户id", "会员id",
        "买家", "客户", "会员", "household", "shopper", "consumer", "visitor", "顾客", "用户",
    ),
    schema.TIMESTAMP: (
        "time", "date", "时间", "日期",
    ),
    schema.EVENT_TYPE: (
        "eventtype", "behavio", "行为",
    ),
    schema.AMOUNT: (
        "amount", "total", "金额", "value", "revenue", "sales", "spend", "dollar",
    ),
    schema.QUANTITY: (
        "quantity", "qty", "数量", "numberof", "units",
    ),
    schema.UNIT_PRICE: (
        "price", "单价", "价格",
    ),
    schema.ORDER_ID: (
        "orderid", "ordernumber", "orderno", "invoice", "订单号", "订单编号", "basket", "receipt",
        "小票",
    ),
    schema.SESSION_ID: (
        "session", "会话",
    ),
    schema.PRODUCT_ID: (
        "productid", "sku", "itemid", "商品id", "商品编号",
    ),
    schema.CATEGORY: (
        "category", "类目", "品类", "类别", "分类",
    ),
    schema.RATING: (
        "rating", "评分", "星级",
    ),
    schema.CHANNEL: (
        "channel", "渠道", "来源",
    ),
    schema.COUPON: (
        "coupon", "voucher", "promo", "优惠",
    ),
    schema.REVIEW_TEXT: (
        "review", "comment", "feedback", "评价", "评论",
    ),
    schema.SERVICE_TEXT: (
        "message", "chat", "complaint", "客服", "留言", "投诉", "咨询",
    ),
    schema.LABEL: (
        "churn", "attrition", "流失",
    ),
}

_EVENT_WORDS: dict[str, tuple[str, ...]] = {
    schema.VIEW: (
        "view", "views", "viewed", "pv", "pageview", "page", "click", "clicks", "browse",
        "visit", "impression", "detail", "productview", "浏览", "点击", "访问", "查看",
    ),
    schema.SEARCH: (
        "search", "searched", "query", "搜索", "查询",
    ),
    schema.CART: (
        "cart", "addtocart", "addcart", "addedtocart", "basket", "addtobasket", "加购",
        "加入购物车", "购物车", "加购物车",
    ),
    schema.FAVORITE: (
        "favorite", "favourite", "fav", "wishlist", "addtowishlist", "like", "collect",
        "bookmark", "收藏", "关注", "喜欢",
    ),
    schema.PURCHASE: (
        "purchase", "purchased", "buy", "bought", "order", "ordered", "placeorder",
        "checkout", "transaction", "payment", "pay", "paid", "sale", "购买", "下单", "支付",
        "付款", "成交", "交易",
    ),
    schema.REFUND: (
        "refund", "refunded", "return", "returned", "cancel", "cancelled", "canceled",
        "cancellation", "chargeback", "退款", "退货", "取消", "退单",
    ),
    schema.REVIEW: (
        "review", "reviewed", "rating", "rate", "comment", "feedback", "评价", "评论", "评分",
        "晒单",
    ),
    schema.SERVICE: (
        "service", "contact", "complaint", "complain", "ticket", "support", "chat",
        "inquiry", "enquiry", "customerservice", "客服", "投诉", "咨询", "售后",
    ),
}
_EVENT_SYNONYMS: dict[str, str] = {w: kind for kind, words in _EVENT_WORDS.items() for w in words}

_CHURNED = (
    "1", "1.0", "yes", "y", "true", "t", "churn", "churned", "exited", "left", "lost",
    "attritedcustomer", "attrited", "流失", "已流失", "是", "是的",
)
_STAYED = (
    "0", "0.0", "no", "n", "false", "f", "retained", "stayed", "active", "notchurned",
    "existingcustomer", "existing", "current", "未流失", "没有流失", "否", "不是", "留存",
)
# fmt: on
_LABEL_VALUES: dict[str, int] = {**dict.fromkeys(_CHURNED, 1), **dict.fromkeys(_STAYED, 0)}

_NAME_JUNK = re.compile(r"[\s_\-./\\:;,()\[\]{}#'\"`*?!|（）【】《》：，。、·]+")
_STRONG_EVENT_NAMES = frozenset(
    ("eventtype", "eventname", "behaviortype", "behaviourtype", "行为类型", "事件类型")
)
_DATE_NAME = re.compile(r"(date|time|day|at$|日期|时间|时间戳|日)")
_ID_LIKE = re.compile(r"(id|no|code|编号|号|名|账号)$")


@dataclass
class Mapping:
    """Which column of the file plays which role, and what kind of table the file is."""

    kind: FileKind
    roles: dict[str, str]  # role -> column name as in the file
    attributes: list[str] = field(default_factory=list)  # customer tables: kept columns
    notes: list[Message] = field(default_factory=list)
    # role -> roles.RoleConfidence: how sure the reading is, and why
    confidence: dict[str, Any] = field(default_factory=dict)
    # coded event types (1..4, A..D): code -> canonical type, guessed or named by the user
    event_codes: dict[str, str] = field(default_factory=dict)
    codes_named: bool = False  # True once the user named the codes
    code_counts: dict[str, int] = field(default_factory=dict)  # rows per code, whole file
    likely_customer: str | None = None  # the likeliest other customer column, for messages
    profiles: dict[str, Any] = field(default_factory=dict, repr=False)

    def doubtful(self) -> list[str]:
        """Roles the user should confirm: the customer or time guessed with low confidence."""
        return [
            role
            for role in (schema.CUSTOMER_ID, schema.TIMESTAMP)
            if role in self.confidence and self.confidence[role].level == "low"
        ]


def normalise_name(name: str) -> str:
    """Lower-case a header and drop spaces, underscores and punctuation, so spellings meet."""
    return _NAME_JUNK.sub("", str(name).strip().lower())


def _value_key(value: str) -> str:
    return _NAME_JUNK.sub("", value.strip().lower())


_DISTINCT_FROM = 20_000  # from this many rows, normalise distinct values and map them back


def _strings(series: pl.Series) -> pl.Series:
    """Values as trimmed strings with empty strings as null (works for any dtype)."""
    return series.cast(pl.String, strict=False).str.strip_chars().replace({"": None})


def _match_by_name(columns: list[str]) -> dict[str, str]:
    """Roles assigned from header names alone: best score first, one column per role."""
    candidates: list[tuple[int, int, str, str]] = []  # (score, column order, role, column)
    for position, column in enumerate(columns):
        key = normalise_name(column)
        if not key:
            continue
        for role, names in _EXACT.items():
            if key in names:
                candidates.append((1000 - names.index(key), -position, role, column))
                continue
            for fragment in _CONTAINS.get(role, ()):
                if fragment in key:
                    candidates.append((100 - len(key), -position, role, column))
                    break
    candidates.sort(reverse=True)
    roles: dict[str, str] = {}
    used: set[str] = set()
    for _score, _pos, role, column in candidates:
        if role in roles or column in used:
            continue
        roles[role] = column
        used.add(column)
    return roles


_MAX_EVENT_TYPES = 40
_TYPE_PROBE = 20_000


def _looks_like_event_types(series: pl.Series, counts: pl.DataFrame | None = None) -> bool:
    """Mostly known event words, among at most 40 distinct values. ``counts``: the column's
    ``value_counts`` (values in ``v``), when the caller has them."""
    # More than 40 distinct texts among the first values means more than 40 in all: an id,
    # time or amount column is turned down without counting every value of a 10M-row log
    probe = _strings(series.head(_TYPE_PROBE).unique()).drop_nulls()
    if probe.n_unique() > _MAX_EVENT_TYPES:
        return False
    # counted by raw value first, then only the distinct values are trimmed (10M rows, a
    # handful of types); values that trim to the same text are merged after
    raw = counts if counts is not None else value_counts(series.alias("v"))
    counts = (
        pl.DataFrame({"v": _strings(raw["v"]), "n": raw["count"]})
        .drop_nulls("v")
        .group_by("v")
        .agg(pl.col("n").sum())
    )
    if counts.height == 0 or counts.height > _MAX_EVENT_TYPES:
        return False
    total = int(counts["n"].sum())
    keys = [_value_key(v) for v in counts["v"].to_list()]
    known = sum(n for k, n in zip(keys, counts["n"].to_list(), strict=True) if k in _EVENT_SYNONYMS)
    return known >= 0.5 * total


def looks_like_dates(series: pl.Series, name: str | None = None) -> bool:
    """Whether a column holds dates: parsed dates, or date-like text (pure numbers only when the
    header says date/time, since ids and amounts can look like Unix seconds or YYYYMMDD)."""
    from churnlab.ingest.parsing import datetime_share

    if series.dtype.is_temporal():
        return True
    if series.dtype not in (pl.String, pl.Int64, pl.Int32, pl.UInt32, pl.UInt64, pl.Float64):
        return False
    sample = _strings(series).drop_nulls().head(1000)
    if sample.len() == 0 or datetime_share(sample) < 0.9:
        return False
    if name is not None and _DATE_NAME.search(normalise_name(name)):
        return True
    plain = sample.str.contains(r"^[+-]?\d+(\.\d+)?$")
    return not bool(plain.all())


def _is_label(series: pl.Series) -> bool:
    return _strings(series).drop_nulls().n_unique() == 2


def _decide_kind(
    raw: RawTable, roles: dict[str, str], notes: list[Message], profiles: dict
) -> FileKind:
    """An event log has a readable time and ids that repeat; anything else is a table of
    customers (with a label: one to train on directly)."""
    frame = raw.frame
    label = roles.get(schema.LABEL)
    if label is not None and _is_label(frame[label]):
        notes.append(Message("quality.note.label_found", {"column": label}))
        return schema.CUSTOMERS
    ids = frame[roles[schema.CUSTOMER_ID]].drop_nulls()  # no text copy of a 10M-row column
    # Text ids are counted by their 64-bit hashes: six times faster than hashing 10M strings
    # into a table, and for a share compared with 0.95 a collision can never matter.
    keys = ids.hash(seed=0) if ids.dtype == pl.String else ids
    distinct = keys.n_unique()
    raw.remember(("distinct", roles[schema.CUSTOMER_ID]), distinct)  # the report's count
    unique_share = distinct / max(ids.len(), 1)
    has_time = schema.TIMESTAMP in roles
    if has_time and unique_share < 0.95:
        return schema.EVENTS
    if has_time and any(
        r in roles
        for r in (
            schema.EVENT_TYPE,
            schema.ORDER_ID,
            schema.AMOUNT,
            schema.QUANTITY,
            schema.PRODUCT_ID,
            schema.UNIT_PRICE,
        )
    ):
        notes.append(Message("quality.note.read_as_events"))
        return schema.EVENTS
    if unique_share < 0.95:
        notes.append(Message("quality.note.read_as_customers"))
    return schema.CUSTOMERS


def _shape(raw: RawTable, kind: FileKind, roles: dict[str, str]) -> Mapping:
    """Keep only the roles that fit the kind; customer tables keep every other column but
    free text (what customers wrote is read from event logs only, never kept as an attribute)."""
    if kind == schema.CUSTOMERS:
        kept = {r: c for r, c in roles.items() if r in (schema.CUSTOMER_ID, schema.LABEL)}
        used = set(kept.values()) | {roles[r] for r in schema.TEXT_ROLES if r in roles}
        attributes = [c for c in raw.columns if c not in used]
        return Mapping(kind=kind, roles=kept, attributes=attributes)
    kept = {r: c for r, c in roles.items() if r != schema.LABEL}
    return Mapping(kind=kind, roles=kept, attributes=[])


def detect_mapping(raw: RawTable) -> Mapping:
    """Find the role of each column and whether the file is an event log or a customer table.

    Roles come from names and values together (``roles.choose_roles``); each carries a
    confidence and its evidence, kept on the mapping for the Data page and ``inspect``.
    """
    from churnlab.ingest.roles import choose_roles, looks_like_codes, review_customer

    choice = choose_roles(raw)
    roles, notes = choice.roles, choice.notes
    if schema.CUSTOMER_ID not in roles:
        shown = ", ".join(f"'{c}'" for c in raw.columns[:30])
        raise MappingError("error.mapping.no_customer_id", source=raw.source, columns=shown)
    kind = _decide_kind(raw, roles, notes, choice.profiles)
    mapping = _shape(raw, kind, roles)
    mapping.confidence = {r: c for r, c in choice.confidence.items() if r in mapping.roles}
    mapping.profiles = choice.profiles
    review_customer(mapping, kind == schema.EVENTS)
    if kind == schema.EVENTS:
        ignored = [c for c in raw.columns if c not in mapping.roles.values()]
        if ignored:
            shown = ", ".join(f"'{c}'" for c in ignored)
            notes.append(Message("quality.note.not_used", {"columns": shown}))
        event_col = mapping.roles.get(schema.EVENT_TYPE)
        counts = None
        if event_col is not None:
            # counted once: cleaning maps the distinct values instead of finding them again
            counts = value_counts(raw.frame[event_col].alias("v"))
            raw.remember(("values", event_col), counts)
        if (
            event_col is not None
            and not _looks_like_event_types(raw.frame[event_col], counts)
            and looks_like_codes(raw.frame[event_col])
        ):
            mapping.code_counts = code_counts(raw.frame[event_col])
            mapping.event_codes = suggest_event_codes(raw.frame[event_col])
            codes = ", ".join(sorted(mapping.code_counts))
            notes.append(
                Message("quality.note.coded_events", {"column": event_col, "codes": codes})
            )
    mapping.notes = notes
    log.debug("detected %s mapping for %s: %s", kind, raw.source, mapping.roles)
    return mapping


def code_counts(series: pl.Series) -> dict[str, int]:
    """Each distinct code of a coded event-type column and how often it occurs."""
    counts = value_counts(_strings(series).drop_nulls(), sort=True)
    return dict(zip(counts[counts.columns[0]].to_list(), counts["count"].to_list(), strict=True))


def event_code_rows(mapping: Mapping) -> dict[str, list]:
    """The code editor's rows: each code, how often it occurs, and what it is read as now."""
    counts = mapping.code_counts
    codes = sorted(counts or mapping.event_codes)
    return {
        "code": codes,
        "rows": [counts.get(c, 0) for c in codes],
        "meaning": [mapping.event_codes.get(c) for c in codes],
    }


def suggest_event_codes(series: pl.Series) -> dict[str, str]:
    """A guess for codes with no known meaning, by how often they occur: in a shop's behaviour
    log the most frequent code is a view and the rarest a purchase (the others are kept as
    written until the user names them)."""
    counts = code_counts(series)
    if len(counts) < 2:
        return {}
    ordered = list(counts)
    return {ordered[0]: schema.VIEW, ordered[-1]: schema.PURCHASE}


def parse_event_codes(text: str) -> dict[str, str]:
    """``1=view,2=favorite`` (CLI ``--events``) -> {"1": "view", "2": "favorite"}."""
    out: dict[str, str] = {}
    for pair in text.split(","):
        code, sep, name = pair.partition("=")
        if not pair.strip():
            continue
        if not sep or not code.strip() or not name.strip():
            raise MappingError(
                "error.mapping.bad_event_code", hint="error.mapping.bad_event_code.hint", pair=pair
            )
        out[code.strip()] = _EVENT_SYNONYMS.get(_value_key(name), name.strip().lower())
    return out


def apply_overrides(mapping: Mapping, overrides: dict[str, str], raw: RawTable) -> Mapping:
    """Apply the user's ``role -> column`` choices on top of the detected mapping.

    An empty column name removes the role. The special key ``kind`` (``events`` or
    ``customers``) forces the kind; mapping ``label`` makes the file a customer table.
    """
    if not overrides:
        return mapping
    valid_roles = (*schema.ROLES, "kind")
    for role, column in overrides.items():
        if role not in valid_roles:
            raise MappingError(
                "error.mapping.unknown_role", role=role, roles=", ".join(valid_roles)
            )
        if role == "kind":
            if column not in (schema.EVENTS, schema.CUSTOMERS):
                raise MappingError(
                    "error.mapping.bad_kind", hint="error.mapping.bad_kind.hint", kind=column
                )
        elif column and column not in raw.columns:
            shown = ", ".join(f"'{c}'" for c in raw.columns)
            raise MappingError(
                "error.mapping.no_such_column", column=column, source=raw.source, columns=shown
            )
    kind: FileKind = mapping.kind
    if "kind" in overrides:
        kind = overrides["kind"]  # type: ignore[assignment]
    elif overrides.get(schema.LABEL):
        kind = schema.CUSTOMERS
    elif mapping.kind == schema.CUSTOMERS and any(
        r not in (schema.CUSTOMER_ID, schema.LABEL) and c for r, c in overrides.items()
    ):
        kind = schema.EVENTS
    roles = dict(mapping.roles)
    if kind != mapping.kind:
        # Start again from the names, so the other roles of the new kind are found too.
        roles = {**_match_by_name(raw.columns), **roles}
    for role, column in overrides.items():
        if role == "kind":
            continue
        roles = {r: c for r, c in roles.items() if c != column and r != role}
        if column:
            roles[role] = column
    if schema.CUSTOMER_ID not in roles:
        raise MappingError("error.mapping.customer_id_needed")
    result = _shape(raw, kind, roles)
    result.notes = [
        *mapping.notes,
        Message(
            "quality.note.set_by_hand",
            {"pairs": ", ".join(f"{r}={c}" for r, c in overrides.items())},
        ),
    ]
    from churnlab.ingest.roles import HIGH, RoleConfidence, review_customer

    result.profiles = mapping.profiles
    result.confidence = {
        r: c
        for r, c in mapping.confidence.items()
        if r in result.roles and result.roles[r] == mapping.roles.get(r)
    }
    for role in overrides:
        if role in result.roles:
            result.confidence[role] = RoleConfidence(
                HIGH, Message("quality.evidence.by_hand", {"column": result.roles[role]})
            )
    if result.roles.get(schema.EVENT_TYPE) == mapping.roles.get(schema.EVENT_TYPE):
        result.event_codes = dict(mapping.event_codes)
        result.code_counts = dict(mapping.code_counts)
        result.codes_named = mapping.codes_named
    review_customer(result, result.kind == schema.EVENTS)
    return result


def name_event_codes(mapping: Mapping, codes: dict[str, str]) -> Mapping:
    """The user's names for coded event types (Data page editor, CLI ``--events``)."""
    if not codes:
        return mapping
    if schema.EVENT_TYPE not in mapping.roles:
        raise MappingError("error.mapping.codes_without_events")
    return dataclasses.replace(
        mapping, event_codes={**mapping.event_codes, **codes}, codes_named=True
    )


def normalise_event_types(
    series: pl.Series, codes: dict[str, str] | None = None, distinct: pl.Series | None = None
) -> pl.Series:
    """Map English and Chinese event words to canonical types; unknown ones kept lower-case.

    ``codes`` names coded types (``{"1": "view", "4": "purchase"}``) before the words.
    A long column is normalised once per distinct value (a log has a handful of types);
    ``distinct``: those values, when the caller has them."""
    if series.len() >= _DISTINCT_FROM:
        distinct = series.unique() if distinct is None else distinct.alias(series.name)
        if distinct.len() <= series.len() // 2:
            named = normalise_event_types(distinct, codes)
            if named.equals(distinct.alias(named.name), null_equal=True):
                return series  # already canonical (most big logs): no 10M-row rewrite
            return series.replace_strict(
                distinct, named, default=None, return_dtype=pl.String
            ).alias(series.name)
    cleaned = _strings(series).str.to_lowercase()
    distinct = cleaned.drop_nulls().unique().to_list()
    coded = {str(k).strip().lower(): v for k, v in (codes or {}).items()}
    table = {v: coded.get(v) or _EVENT_SYNONYMS.get(_value_key(v), v) for v in distinct}
    table = {k: v for k, v in table.items() if k != v}
    out = cleaned.replace(table) if table else cleaned
    return out.alias(series.name)


def normalise_labels(series: pl.Series) -> pl.Series:
    """Turn yes/no, 1/0, 流失/未流失 style churn labels into Int8 (1 = churned); nulls stay null."""
    if series.dtype == pl.Boolean:
        return series.cast(pl.Int8)
    cleaned = _strings(series)
    distinct = cleaned.drop_nulls().unique().to_list()
    table: dict[str, int] = {}
    unknown: list[str] = []
    for value in distinct:
        key = re.sub(r"[\s_\-]+", "", value.lower())
        if key in _LABEL_VALUES:
            table[value] = _LABEL_VALUES[key]
        else:
            unknown.append(value)
    if unknown:
        shown = ", ".join(f"'{v}'" for v in sorted(unknown)[:8])
        raise MappingError(
            "error.mapping.bad_labels",
            hint="error.mapping.bad_labels.hint",
            column=series.name,
            values=shown,
        )
    return cleaned.replace_strict(table, default=None, return_dtype=pl.Int8).alias(series.name)
