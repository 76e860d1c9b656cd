"""Messages about what customers write: review and service text columns, their languages,
and the customer page's list of recent texts."""

EN: dict[str, str] = {
    "role.review_text": "Review text",
    "role.service_text": "Service message",
    "quality.note.text_from_values": (
        "'{column}' holds long, varied text: read as what customers wrote (check it is not a "
        "product title or address)."
    ),
    "quality.evidence.text_values": "{column}: long, varied text with words, read as customer text.",
    "quality.note.text_column.review_text": (
        "'{column}' read as review text: {zh}% Chinese, {en}% English, {other}% other "
        "(reviews in other languages get no sentiment)."
    ),
    "quality.note.text_column.service_text": (
        "'{column}' read as service messages: {zh}% Chinese, {en}% English, {other}% other "
        "(messages in other languages get no sentiment)."
    ),
    "text.kind.review": "Review",
    "text.kind.service": "Service message",
    "text.sentiment.negative": "negative",
    "text.sentiment.neutral": "neutral",
    "text.sentiment.positive": "positive",
    "text.sentiment.unknown": "not scored",
    "explain.texts.title": "What this customer wrote",
    "explain.texts.caption": (
        "The latest reviews and service messages before the scoring date. They stay on this "
        "page: lists and reports carry only the numbers made from them."
    ),
    "explain.texts.none": "This customer wrote no reviews or service messages.",
    "explain.texts.time": "Time",
    "explain.texts.kind": "Kind",
    "explain.texts.text": "Text",
    "explain.texts.sentiment": "Sentiment",
}

ZH: dict[str, str] = {
    "role.review_text": "评价内容",
    "role.service_text": "客服消息",
    "quality.note.text_from_values": (
        "“{column}”包含较长且多样的文本：按客户撰写的内容读取（请确认它不是商品标题或地址）。"
    ),
    "quality.evidence.text_values": "{column}：较长且多样的文字，按客户文本读取。",
    "quality.note.text_column.review_text": (
        "“{column}”按评价内容读取：中文 {zh}%，英文 {en}%，其他 {other}%（其他语言的评价不计算情感）。"
    ),
    "quality.note.text_column.service_text": (
        "“{column}”按客服消息读取：中文 {zh}%，英文 {en}%，其他 {other}%（其他语言的消息不计算情感）。"
    ),
    "text.kind.review": "评价",
    "text.kind.service": "客服消息",
    "text.sentiment.negative": "负面",
    "text.sentiment.neutral": "中性",
    "text.sentiment.positive": "正面",
    "text.sentiment.unknown": "未计算",
    "explain.texts.title": "该客户写过的内容",
    "explain.texts.caption": (
        "评分日期之前最近的评价和客服消息。它们只显示在本页：名单和报告只包含由它们计算出的数字。"
    ),
    "explain.texts.none": "该客户没有写过评价或客服消息。",
    "explain.texts.time": "时间",
    "explain.texts.kind": "类型",
    "explain.texts.text": "内容",
    "explain.texts.sentiment": "情感",
}
