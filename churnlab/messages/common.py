"""Messages shared by every area."""

EN = {
    "app.title": "churnlab",
    "app.tagline": "Who is about to stop buying, why, and what a campaign would earn.",
    "common.customers": "Customers",
    "common.events": "Events",
    "common.sample_shop": "Sample shop",
}

ZH = {
    "app.title": "churnlab",
    "app.tagline": "谁即将停止购买、原因何在、挽留活动能带来多少收益。",
    "common.customers": "客户",
    "common.events": "事件",
    "common.sample_shop": "示例店铺",
}
