"""The data-quality report and cut-off warnings (keys ``quality.*`` and ``windows.*``).

These are the notes, warnings and problems found while reading and cleaning a
file, held as ``churnlab.i18n.Message`` so the app shows them in the user's
language; the CLI, ``inspect --json`` and saved run records use the English.
"""

EN: dict[str, str] = {
    "dateformat.join": " + ",
    "dateformat.with_time": "{phrase} with time",
    "dateformat.Y-M-D": "Y-M-D",
    "dateformat.day-first D/M/Y": "day-first D/M/Y",
    "dateformat.month-first M/D/Y": "month-first M/D/Y",
    "dateformat.day-first D/M/YY": "day-first D/M/YY",
    "dateformat.month-first M/D/YY": "month-first M/D/YY",
    "dateformat.D Mon Y": "D Mon Y",
    "dateformat.D Mon YY": "D Mon YY",
    "dateformat.native date/time": "native date/time",
    "dateformat.native date": "native date",
    "dateformat.empty": "empty",
    "dateformat.YYYYMMDD numbers": "YYYYMMDD numbers",
    "dateformat.Unix seconds": "Unix seconds",
    "dateformat.Unix milliseconds": "Unix milliseconds",
    "dateformat.Unix microseconds": "Unix microseconds",
    "dateformat.Excel serial days": "Excel serial days",
    "dateformat.numbers (not dates)": "numbers (not dates)",
    "dateformat.numbers": "numbers",
    "dateformat.time zone converted to UTC": "time zone converted to UTC",
    "dateformat.no date format recognised": "no date format recognised",
    # why rows were dropped (QualityReport.dropped keys)
    "quality.dropped.missing_customer_id": "no customer id",
    "quality.dropped.missing_time": "no time",
    "quality.dropped.unreadable_time": "a time that could not be read",
    "quality.dropped.duplicate": "exact duplicate of an earlier row",
    "quality.dropped.repeated_customer_id": "customer id already seen in an earlier row",
    # reading
    "quality.note.replaced_characters": "Some characters could not be decoded and were replaced.",
    "quality.note.encoding": "Encoding: {encoding}",
    "quality.note.title_line": "Skipped {count} title line above the header",
    "quality.note.title_lines": "Skipped {count} title lines above the header",
    "quality.note.no_header": "No header row found: columns are named column_1, column_2, …",
    "quality.note.delimiter.comma": "Delimiter: comma",
    "quality.note.delimiter.semicolon": "Delimiter: semicolon",
    "quality.note.delimiter.tab": "Delimiter: tab",
    "quality.note.delimiter.pipe": "Delimiter: pipe",
    "quality.note.delimiter.spaces": "Delimiter: spaces",
    "quality.note.delimiter.other": "Delimiter: {delimiter}",
    "quality.note.sheet": "Sheet '{sheet}' of {count}",
    "quality.note.skipped_row": "Skipped {count} row above the header",
    "quality.note.skipped_rows": "Skipped {count} rows above the header",
    "quality.note.empty_row": "Dropped {count} empty row",
    "quality.note.empty_rows": "Dropped {count} empty rows",
    # mapping
    "quality.note.not_event_types": (
        "'{column}' does not hold event types (view, cart, purchase...); not used."
    ),
    "quality.note.event_types_from_values": "'{column}' looks like event types from its values.",
    "quality.note.dates_as_time": "'{column}' holds dates, so it is used as the time of each row.",
    "quality.note.id_from_values": (
        "'{column}' was taken as the customer id from its values; check it."
    ),
    "quality.note.label_found": "'{column}' looks like a churn label, so this is a customer table.",
    "quality.note.read_as_events": (
        "Each customer appears about once, but the file has times and order columns, "
        "so it is read as an event log."
    ),
    "quality.note.read_as_customers": (
        "Customer ids repeat but there is no time column, so the file is read as a "
        "customer table (one row per customer is kept)."
    ),
    "quality.note.not_used": "Not used: {columns}.",
    "quality.note.set_by_hand": "Column roles were set by hand: {pairs}.",
    # cleaning
    "quality.problem.no_rows_left": (
        "No usable rows are left after cleaning: check the customer id and time columns."
    ),
    "quality.warning.one_customer": "Only one customer was found: check the customer id column.",
    "quality.note.time_format": "Times in '{column}' read as: {formats}.",
    "quality.warning.no_event_type": "Rows without an event type, kept as 'unknown': {count:,}.",
    "quality.note.all_purchases": "There is no event-type column: every row is read as a purchase.",
    "quality.issue.not_numbers.amount": (
        "Values in '{column}' (amount) that are not numbers: {count:,} (examples: {examples})."
    ),
    "quality.issue.not_numbers.quantity": (
        "Values in '{column}' (quantity) that are not numbers: {count:,} (examples: {examples})."
    ),
    "quality.issue.not_numbers.unit_price": (
        "Values in '{column}' (unit_price) that are not numbers: {count:,} (examples: {examples})."
    ),
    "quality.issue.not_numbers.rating": (
        "Values in '{column}' (rating) that are not numbers: {count:,} (examples: {examples})."
    ),
    "quality.title.notes": "How the file was read",
    "quality.note.amount_from_quantity": "Amounts computed as quantity × unit price.",
    "quality.note.amount_from_price": "Amounts taken from the unit price (no quantity column).",
    "quality.note.refunds": "Rows with a negative amount or quantity, read as refunds: {count:,}.",
    "quality.issue.bad_times": (
        "Rows with a time that could not be read: {count:,} (examples: {examples})."
    ),
    "quality.issue.missing_ids": "Rows without a customer id, left out: {count:,}.",
    "quality.warning.no_purchases": (
        "No purchase events were found: choose which activity counts as staying."
    ),
    "quality.warning.future": "Some times are in the future (latest: {date}).",
    "quality.warning.before_1990": (
        "Some times are before 1990 (earliest: {date}); check the time column."
    ),
    "quality.warning.one_day": "All rows fall within one day: churn needs a longer history.",
    "quality.warning.repeated_ids": (
        "Rows repeating a customer id: {count:,} (the first row of each customer is kept)."
    ),
    "quality.warning.unlabelled": "{count:,} customers have no churn label.",
    "quality.problem.one_label": (
        "The churn label has only one value: a model needs churned and staying customers."
    ),
    "quality.note.churned_share": "{churned:,} of {labelled:,} labelled customers churned.",
    "quality.note.no_label": "No churn label: this table adds customer attributes to an event log.",
    # cut-offs and labels (windows.py)
    "windows.warning.fewer_cutoffs": (
        "The history allows {found} cut-offs instead of {wanted}; the model learns from "
        "{validation} of them before the test. A longer export gives steadier results."
    ),
    "windows.warning.small_shop": (
        "Only {n_eval} customers at the test cut-off: the model works, "
        "but its scores and metrics will be rough."
    ),
    "windows.warning.few_outcomes": (
        "At the test cut-off {churners} customers churned and {stayers} stayed; so few of one "
        "kind make the metrics unreliable. Try a different churn horizon, or count more kinds "
        "of activity as staying (for example any visit instead of purchases only)."
    ),
    "windows.warning.thin_early_cutoffs": (
        "Early cut-offs with fewer than {minimum} customers: {days}."
    ),
    # evidence for each role (inspect --json, the Data page)
    "quality.evidence.name": "{column}: the name says {role}.",
    "quality.evidence.by_hand": "{column}: chosen by you.",
    "quality.evidence.joined": "{column}: set by joining the files.",
    "quality.evidence.time.name": "{column}: {share}% of the values read as dates, {start} to {end}.",
    "quality.evidence.time.values": "{column}: {share}% of the values read as dates, {start} to {end}, though the name does not say so.",
    "quality.evidence.time.doubtful": "{column}: only {share}% of the values read as dates ({start} to {end}).",
    "quality.evidence.time.several": "{column} and {other} both read as dates; {column} was taken ({start} to {end}).",
    "quality.evidence.customer.nested": "{column}: {values} values, each seen on {days} days (median), with {children} inside each one — looks like the customer.",
    "quality.evidence.customer.recurs": "{column}: {values} values that come back on {days} days (median) — looks like the customer.",
    "quality.evidence.customer.once": "{column}: {values} values, mostly seen once.",
    "quality.evidence.customer.close": "{column} was taken as the customer, but {other} looks almost as likely.",
    "quality.evidence.customer.order_like": "{column}: {values} values, each on one day and inside one {parent} — looks like an order number, not a customer.",
    "quality.evidence.customer.single_day": "{column}: {values} values, every one of them on a single day — looks like an order or visit number, not a customer.",
    "quality.evidence.customer.per_row": "{column}: {values} values, a new one on every row — as many customers as orders, so it cannot be the person.",
    "quality.evidence.customer.person": "{column}: {values} persons, each grouping one or more of the {ids} values of {key} — the person behind the ids.",
    "quality.evidence.customer.table": "{column}: one row per value — the key of a customer table.",
    "quality.evidence.customer.guess": "{column}: too few rows to tell from the values; the likeliest column was taken.",
    "quality.evidence.order": "{column}: {values} values, each on one day and inside one {parent} — looks like an order number.",
    "quality.evidence.session": "{column}: {values} values, each lasting about {minutes} minutes inside one {parent} — looks like a session.",
    "quality.evidence.event_values": "{column}: its values are event words (view, cart, purchase...).",
    "quality.evidence.product": "{column}: {values} values shared by many customers — looks like a product.",
    "quality.evidence.category": "{column}: every {product} sits in one of its values — looks like a category.",
    "quality.note.filled_from_order": "{count} order lines had no customer or time of their own and took them from their order's first line.",
    "quality.note.coded_events": "'{column}' holds codes ({codes}) with no known meaning as event types. The most frequent was read as a view and the rarest as a purchase; name each code to be sure (Data page, or --events 1=view,2=favorite,...).",
    "quality.note.codes_named": "Event codes in '{column}' named by you: {pairs}.",
    "quality.warning.confirm_role": "Please confirm the {role} column: {evidence}",
    "quality.join.summary": "{left} joined to {right} on {key}: {matched} rows matched, {unmatched} not.",
    "quality.join.person": "Customers are the persons in {column} of {file}: {ids} ids of {per} grouped into {persons} persons.",
}

ZH: dict[str, str] = {
    "dateformat.join": "；",
    "dateformat.with_time": "{phrase}（含时间）",
    "dateformat.Y-M-D": "年-月-日",
    "dateformat.day-first D/M/Y": "日在前：日/月/年",
    "dateformat.month-first M/D/Y": "月在前：月/日/年",
    "dateformat.day-first D/M/YY": "日在前：日/月/两位年份",
    "dateformat.month-first M/D/YY": "月在前：月/日/两位年份",
    "dateformat.D Mon Y": "日 英文月份 年",
    "dateformat.D Mon YY": "日 英文月份 两位年份",
    "dateformat.native date/time": "文件自带的日期时间类型",
    "dateformat.native date": "文件自带的日期类型",
    "dateformat.empty": "空",
    "dateformat.YYYYMMDD numbers": "YYYYMMDD 数字",
    "dateformat.Unix seconds": "Unix 时间戳（秒）",
    "dateformat.Unix milliseconds": "Unix 时间戳（毫秒）",
    "dateformat.Unix microseconds": "Unix 时间戳（微秒）",
    "dateformat.Excel serial days": "Excel 日期序号",
    "dateformat.numbers (not dates)": "数字（不是日期）",
    "dateformat.numbers": "数字",
    "dateformat.time zone converted to UTC": "已按时区换算为 UTC",
    "dateformat.no date format recognised": "未识别出日期格式",
    "quality.dropped.missing_customer_id": "缺少客户 ID",
    "quality.dropped.missing_time": "缺少时间",
    "quality.dropped.unreadable_time": "时间无法识别",
    "quality.dropped.duplicate": "与前面某行完全重复",
    "quality.dropped.repeated_customer_id": "客户 ID 在前面的行中已出现",
    # reading
    "quality.note.replaced_characters": "部分字符无法解码，已被替换。",
    "quality.note.encoding": "编码：{encoding}",
    "quality.note.title_line": "跳过了表头上方的 {count} 行标题",
    "quality.note.title_lines": "跳过了表头上方的 {count} 行标题",
    "quality.note.no_header": "未找到表头行：各列依次命名为 column_1、column_2、…",
    "quality.note.delimiter.comma": "分隔符：逗号",
    "quality.note.delimiter.semicolon": "分隔符：分号",
    "quality.note.delimiter.tab": "分隔符：制表符",
    "quality.note.delimiter.pipe": "分隔符：竖线",
    "quality.note.delimiter.spaces": "分隔符：空格",
    "quality.note.delimiter.other": "分隔符：{delimiter}",
    "quality.note.sheet": "工作表“{sheet}”（共 {count} 个）",
    "quality.note.skipped_row": "跳过了表头上方的 {count} 行",
    "quality.note.skipped_rows": "跳过了表头上方的 {count} 行",
    "quality.note.empty_row": "删除了 {count} 个空行",
    "quality.note.empty_rows": "删除了 {count} 个空行",
    # mapping
    "quality.note.not_event_types": "“{column}”列不是行为类型（浏览、加购、购买等），未使用。",
    "quality.note.event_types_from_values": "根据取值判断，“{column}”列是行为类型。",
    "quality.note.dates_as_time": "“{column}”列是日期，因此用作每行的时间。",
    "quality.note.id_from_values": "根据取值将“{column}”列识别为客户 ID，请核对。",
    "quality.note.label_found": "“{column}”列像是流失标签，因此该文件按客户表处理。",
    "quality.note.read_as_events": "每位客户大约只出现一次，但文件中有时间和订单列，因此按行为日志处理。",
    "quality.note.read_as_customers": (
        "客户 ID 有重复，但没有时间列，因此按客户表处理（每位客户只保留一行）。"
    ),
    "quality.note.not_used": "未使用的列：{columns}。",
    "quality.note.set_by_hand": "以下列的作用为手动设置：{pairs}。",
    # cleaning
    "quality.problem.no_rows_left": "清洗后没有可用的行：请检查客户 ID 列和时间列。",
    "quality.warning.one_customer": "只找到一位客户：请检查客户 ID 列。",
    "quality.note.time_format": "“{column}”列的时间按以下格式读取：{formats}。",
    "quality.warning.no_event_type": "缺少行为类型的行已按“unknown”保留：{count:,} 行。",
    "quality.note.all_purchases": "没有行为类型列：每一行都视为一次购买。",
    "quality.issue.not_numbers.amount": (
        "“{column}”列（金额）中有非数字的值：{count:,} 个（例如：{examples}）。"
    ),
    "quality.issue.not_numbers.quantity": (
        "“{column}”列（数量）中有非数字的值：{count:,} 个（例如：{examples}）。"
    ),
    "quality.issue.not_numbers.unit_price": (
        "“{column}”列（单价）中有非数字的值：{count:,} 个（例如：{examples}）。"
    ),
    "quality.issue.not_numbers.rating": (
        "“{column}”列（评分）中有非数字的值：{count:,} 个（例如：{examples}）。"
    ),
    "quality.title.notes": "文件读取说明",
    "quality.note.amount_from_quantity": "金额按“数量 × 单价”计算。",
    "quality.note.amount_from_price": "金额直接取自单价（没有数量列）。",
    "quality.note.refunds": "金额或数量为负数的行已视为退款：{count:,} 行。",
    "quality.issue.bad_times": "时间无法识别的行：{count:,} 行（例如：{examples}）。",
    "quality.issue.missing_ids": "缺少客户 ID 的行已排除：{count:,} 行。",
    "quality.warning.no_purchases": "没有找到购买行为：请选择哪些行为算作留存。",
    "quality.warning.future": "部分时间在未来（最晚：{date}）。",
    "quality.warning.before_1990": "部分时间早于 1990 年（最早：{date}），请检查时间列。",
    "quality.warning.one_day": "所有记录都在同一天内：判断流失需要更长的历史数据。",
    "quality.warning.repeated_ids": "客户 ID 重复的行：{count:,} 行（每位客户只保留第一行）。",
    "quality.warning.unlabelled": "{count:,} 位客户没有流失标签。",
    "quality.problem.one_label": "流失标签只有一种取值：模型需要同时有流失客户和留存客户。",
    "quality.note.churned_share": "在 {labelled:,} 位有标签的客户中，{churned:,} 位已流失。",
    "quality.note.no_label": "没有流失标签：该表用于为行为日志补充客户属性。",
    # cut-offs and labels (windows.py)
    "windows.warning.fewer_cutoffs": (
        "历史数据只够设置 {found} 个截止日（而不是 {wanted} 个），模型只能从评估前的 "
        "{validation} 个中学习。导出更长时间段的数据，结果会更稳定。"
    ),
    "windows.warning.small_shop": (
        "评估截止日只有 {n_eval} 位客户：模型可以运行，但评分和指标会比较粗略。"
    ),
    "windows.warning.few_outcomes": (
        "在评估截止日，{churners} 位客户流失、{stayers} 位留存；其中一类太少，指标不够可靠。"
        "请尝试其他观察期，或把更多类型的行为算作留存（例如任意访问，而不只是购买）。"
    ),
    "windows.warning.thin_early_cutoffs": "客户数少于 {minimum} 位的早期截止日：{days}。",
    "quality.evidence.name": "{column}：列名表明它是 {role}。",
    "quality.evidence.by_hand": "{column}：由您指定。",
    "quality.evidence.joined": "{column}：由文件关联确定。",
    "quality.evidence.time.name": "{column}：{share}% 的值可读作日期，从 {start} 到 {end}。",
    "quality.evidence.time.values": "{column}：虽然列名没有说明，但 {share}% 的值可读作日期，从 {start} 到 {end}。",
    "quality.evidence.time.doubtful": "{column}：只有 {share}% 的值可读作日期（{start} 到 {end}）。",
    "quality.evidence.time.several": "{column} 和 {other} 都可读作日期；已采用 {column}（{start} 到 {end}）。",
    "quality.evidence.customer.nested": "{column}：{values} 个值，每个值出现在 {days} 天（中位数），其下包含 {children} —— 看起来是客户。",
    "quality.evidence.customer.recurs": "{column}：{values} 个值，在 {days} 天（中位数）反复出现 —— 看起来是客户。",
    "quality.evidence.customer.once": "{column}：{values} 个值，大多只出现一次。",
    "quality.evidence.customer.close": "已将 {column} 作为客户，但 {other} 的可能性几乎一样大。",
    "quality.evidence.customer.order_like": "{column}：{values} 个值，每个只在一天出现且属于同一个 {parent} —— 看起来是订单号，而不是客户。",
    "quality.evidence.customer.single_day": "{column}：{values} 个值，每一个都只在一天出现 —— 看起来是订单号或访问编号，而不是客户。",
    "quality.evidence.customer.per_row": "{column}：{values} 个值，每一行都是新值 —— 客户数和订单数一样多，不可能是同一个人。",
    "quality.evidence.customer.person": "{column}：{values} 人，每人对应 {key} 的 {ids} 个值中的一个或多个 —— 这些 ID 背后的人。",
    "quality.evidence.customer.table": "{column}：每个值一行 —— 客户表的主键。",
    "quality.evidence.customer.guess": "{column}：行数太少，无法从取值判断；已采用最可能的一列。",
    "quality.evidence.order": "{column}：{values} 个值，每个只在一天出现且属于同一个 {parent} —— 看起来是订单号。",
    "quality.evidence.session": "{column}：{values} 个值，每个持续约 {minutes} 分钟且属于同一个 {parent} —— 看起来是会话。",
    "quality.evidence.event_values": "{column}：其取值是行为词（浏览、加购、购买……）。",
    "quality.evidence.product": "{column}：{values} 个值，被许多客户共用 —— 看起来是商品。",
    "quality.evidence.category": "{column}：每个 {product} 都属于其中一个值 —— 看起来是类目。",
    "quality.note.filled_from_order": "{count} 行订单明细本身没有客户或时间，已取自同一订单的第一行。",
    "quality.note.coded_events": "“{column}”列是代码（{codes}），无法得知代表哪种行为。已把最常见的代码读作浏览、最少见的读作购买；请为每个代码命名以确保正确（数据页，或 --events 1=view,2=favorite,...）。",
    "quality.note.codes_named": "您为“{column}”列的行为代码命名：{pairs}。",
    "quality.warning.confirm_role": "请确认 {role} 列：{evidence}",
    "quality.join.summary": "{left} 通过 {key} 关联到 {right}：{matched} 行匹配，{unmatched} 行未匹配。",
    "quality.join.person": "客户为 {file} 中 {column} 所代表的人：{per} 的 {ids} 个 ID 归并为 {persons} 人。",
}
