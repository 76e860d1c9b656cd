"""Error messages and hints of the data side (reading to features, settings, CLI).

Keys are ``error.<module>.<what>`` and their hints ``error.<module>.<what>.hint``.
English is what the CLI prints and what tests match; values in braces are filled
in at raise time (file and column names stay as the user wrote them).
"""

EN: dict[str, str] = {
    # reading
    "error.reading.too_large": "The file '{file}' is too large to read on this computer.",
    "error.reading.unreadable": "The file '{file}' could not be read as a table ({reason}).",
    "error.reading.missing": "The file '{file}' does not exist.",
    "error.reading.missing.hint": "Check the path.",
    "error.reading.folder": "'{file}' is a folder, not a file.",
    "error.reading.folder.hint": "Choose a file.",
    "error.reading.empty": "The file '{file}' is empty.",
    "error.reading.not_excel": "This file is named {ext} but is not an Excel workbook ('{file}').",
    "error.reading.not_excel.hint": "Open it in Excel and save it again as .xlsx, or export it as CSV.",
    "error.reading.not_parquet": "This file is named {ext} but is not a Parquet file ('{file}').",
    "error.reading.not_parquet.hint": "Export the data again, or save it as CSV.",
    "error.reading.binary": (
        "The file '{file}' is not a table churnlab can read (it looks like binary data)."
    ),
    "error.reading.binary.hint": "Export the data as CSV, Excel, Parquet or JSON.",
    "error.reading.no_rows": "The file '{file}' has no rows.",
    "error.reading.bad_workbook": (
        "The workbook '{file}' could not be opened; it may be damaged or password-protected."
    ),
    "error.reading.bad_workbook.hint": (
        "Open it in Excel and save it again as .xlsx, or export the sheet as CSV."
    ),
    "error.reading.no_sheets": "The workbook '{file}' has no sheets.",
    "error.reading.no_such_sheet": "The workbook '{file}' has no sheet called '{sheet}'.",
    "error.reading.no_such_sheet.hint": "Its sheets are: {sheets}.",
    "error.reading.empty_sheet": "The sheet '{sheet}' of '{file}' is empty.",
    "error.reading.bad_parquet": "The Parquet file '{file}' is damaged or incomplete.",
    "error.reading.bad_parquet.hint": (
        "Copy or export it again; it may have been cut off during the transfer."
    ),
    "error.reading.bad_json": "The JSON file '{file}' is not valid JSON (line {line}).",
    "error.reading.bad_json.hint": "Export it again, or save the data as CSV.",
    "error.reading.no_records": "The JSON file '{file}' holds no records (rows).",
    "error.reading.no_columns": "The file '{file}' has no columns.",
    "error.reading.header_only": "The file '{file}' has a header but no data rows.",
    "error.reading.no_data_rows": "The file '{file}' has no data rows.",
    # mapping
    "error.mapping.no_customer_id": (
        "No column looks like a customer id in {source}. Columns found: {columns}."
    ),
    "error.mapping.unknown_role": "'{role}' is not a role churnlab knows. Valid roles: {roles}.",
    "error.mapping.bad_kind": "The kind must be 'events' or 'customers', not '{kind}'.",
    "error.mapping.bad_kind.hint": (
        "Write kind=events for an event log or kind=customers for a customer table."
    ),
    "error.mapping.no_such_column": "There is no column '{column}' in {source}. Columns: {columns}.",
    "error.mapping.customer_id_needed": (
        "A customer id column is needed; choose one with customer_id=COLUMN."
    ),
    "error.mapping.bad_labels": (
        "The churn label column '{column}' has values churnlab cannot read: {values}."
    ),
    "error.mapping.bad_labels.hint": (
        "Use 1/0, yes/no or 流失/未流失, or choose another label column (label=COLUMN)."
    ),
    # cleaning
    "error.cleaning.missing_columns": (
        "The mapping names columns that are not in {source}: {missing}. Columns: {columns}."
    ),
    "error.cleaning.no_customer_id": "No customer id column is chosen for {source}.",
    "error.cleaning.no_time": "An event log needs a time column, and none was found in {source}.",
    "error.cleaning.no_time.hint": (
        "Choose it with timestamp=COLUMN, or map a label if this is a customer table."
    ),
    # loading
    "error.loading.bad_pair": "'{pair}' is not a role=column pair.",
    "error.loading.bad_pair.hint": "Write it like --map customer_id=CustomerID.",
    "error.loading.no_table": "No table was loaded.",
    "error.loading.no_table.hint": "Upload at least one event log or customer table.",
    "error.loading.no_file": "No file was given.",
    "error.loading.no_file.hint": "Give at least one export file.",
    "error.loading.unused_columns": "No file has the column named in: {pairs}.",
    "error.loading.unused_columns.hint": (
        "Check the spelling of the column (it must match the file's header)."
    ),
    # sample
    "error.sample.customers_range": (
        "The sample shop needs 10 to 5,000,000 customers, not {customers}."
    ),
    "error.sample.days_range": "The sample shop covers 120 to 3650 days, not {days}.",
    "error.sample.missing": "The bundled sample shop is missing ({files} not found in {folder}).",
    "error.sample.missing.hint": "Recreate it with: python -m churnlab sample --out sample_data",
    # windows
    "error.windows.no_events": "The event log has no rows, so there is nothing to learn from.",
    "error.windows.no_events.hint": "Upload an export with customer activity (orders, visits, ...).",
    "error.windows.too_short": (
        "The data covers {span} days, but a churn horizon of {horizon} days needs at least "
        "{needed} days ({history} days of history before a cut-off plus the horizon after it)."
    ),
    "error.windows.cutoff_too_late": (
        "The chosen cut-off {cutoff} is too late: its {horizon}-day horizon ends {horizon_end}, "
        "after the data ends ({data_end})."
    ),
    "error.windows.cutoff_too_late.hint": (
        "Pick a cut-off on or before {latest}, or leave it empty to choose automatically."
    ),
    "error.windows.cutoff_too_early": (
        "The chosen cut-off {cutoff} is too early: it needs {history} days of history "
        "before it and the data starts {data_start}."
    ),
    "error.windows.cutoff_too_early.hint": "Pick a cut-off on or after {earliest}.",
    "error.windows.no_training_cutoff": (
        "The data covers {span} days: too short to train on earlier cut-offs and test on a "
        "later one with a {horizon}-day horizon. This needs at least {shortest} days of history."
    ),
    "error.windows.no_training_cutoff.hint_cutoffs": (
        "Allow at least {steps} cut-offs (now {max_cutoffs}), or use a shorter horizon."
    ),
    "error.windows.no_training_cutoff.hint_export": (
        "Export at least {shortest} days of history, or use a shorter horizon."
    ),
    "error.windows.no_recent_activity": (
        "No activity falls in the {lookback} days before any cut-off: the latest time in the "
        "data ({data_end}) lies far after the other rows."
    ),
    "error.windows.no_recent_activity.hint": (
        "Check the time column for wrong dates (in the future, or placeholders), "
        "or choose the test cut-off yourself."
    ),
    "error.windows.nobody_to_label": (
        "No customer was active before any cut-off, so there is nobody to label."
    ),
    "error.windows.nobody_to_label.hint": (
        "Use a longer look-back window or export a longer history."
    ),
    "error.windows.too_few_customers": (
        "Only {n_eval} customers were active before the test cut-off {cutoff}; "
        "at least {minimum} are needed to judge a model."
    ),
    "error.windows.too_few_customers.hint": (
        "Use a longer look-back window or export more customers."
    ),
    "error.windows.all_churned": (
        "At the test cut-off {cutoff} every one of the {n_eval} customers churned, "
        "so there is nothing to predict."
    ),
    "error.windows.all_stayed": (
        "At the test cut-off {cutoff} every one of the {n_eval} customers stayed, "
        "so there is nothing to predict."
    ),
    "error.windows.one_outcome.hint": (
        "Try a different churn horizon, or count more kinds of activity as staying "
        "(for example any visit instead of purchases only)."
    ),
    # features
    "error.features.no_events_to_score": (
        "The event log has no rows, so there is nobody to score."
    ),
    "error.features.no_label_column": (
        "The customer table has no “{label}” column saying who churned."
    ),
    "error.features.no_label_column.hint": (
        "Map the churn column (yes/no, 1/0) to the label role, or upload an event log."
    ),
    "error.features.label_not_binary": "The “{label}” column must say 1 (churned) or 0 (stayed).",
    "error.features.label_not_binary.hint": (
        "Map it again so churnlab can turn its values into yes/no."
    ),
    "error.features.label_other_values": (
        "The “{label}” column holds values other than 1 (churned) and 0 (stayed)."
    ),
    "error.features.one_label": (
        "Every customer in the table has the same churn label, so there is nothing to learn."
    ),
    "error.features.one_label.hint": "Upload a table with both churned and retained customers.",
    "error.features.no_attributes": (
        "The customer table has no columns that could describe a customer."
    ),
    "error.features.no_attributes.hint": (
        "Add attributes such as tier, city, signup date or number of orders."
    ),
    # config
    "error.config.horizon": "The churn horizon must be between 7 and 730 days, not {days}.",
    "error.config.lookback": "The look-back window must be between 14 and 3650 days, not {days}.",
    "error.config.no_activity": "Choose at least one kind of activity that counts as staying.",
    "error.config.cutoff_step": "The step between cut-offs must be between 7 and 365 days.",
    "error.config.max_cutoffs": "The number of training cut-offs must be between 1 and 60.",
    "error.config.time_budget": "The tuning time budget must be positive.",
    "error.config.max_trials": "At least one parameter set must be tried.",
    "error.config.learning_rate": "The learning rate must be above 0 and at most 1.",
    "error.config.max_depth": "The tree depth must be between 1 and 10.",
    "error.config.margin": "The gross margin must be between 0 % and 100 %.",
    "error.config.save_rate": "The save rate must be between 0 % and 100 %.",
    "error.config.costs": "Offer and contact costs cannot be negative.",
    "error.config.discount": "The discount must be between 0 % and 100 %.",
    "error.config.budget": "The budget cannot be negative.",
    "error.config.min_risk": "The minimum risk must be between 0 % and 100 %.",
    "error.config.value_days": "The value period must be between 1 and 3650 days.",
    # export
    "error.export.folder": "{path} is a folder; give a file name for the list.",
    "error.export.format": "Lists can be written as csv or xlsx, not '{format}'.",
    "error.export.no_salt": "Pseudonymising ids needs a non-empty secret (salt).",
    # cohorts
    "error.cohorts.needs_events": (
        "Cohort retention needs an event log with customer, time and event type "
        "(missing: {missing})."
    ),
    "error.cohorts.needs_events.hint": "Load an event or order export rather than a customer table.",
    "error.cohorts.periods": "Show at least one month of retention.",
    "error.cohorts.no_activity": (
        "No events of the kind that counts as activity ({activity}) were found, "
        "so there are no cohorts to show."
    ),
    "error.cohorts.no_activity.hint": "Check the event-type mapping or count any activity.",
    "error.cohorts.span": "The history spans more than 300 years; check the date column.",
    "error.cohorts.recency_not_numbers": "The recency values for RFM segments must be numbers.",
    "error.cohorts.frequency_not_numbers": (
        "The frequency values for RFM segments must be numbers."
    ),
    "error.cohorts.monetary_not_numbers": "The monetary values for RFM segments must be numbers.",
    "error.cohorts.rfm_lengths": (
        "Recency, frequency and monetary must have one value per customer."
    ),
    "error.cohorts.rfm_missing": (
        "RFM segments need recency, frequency and monetary per customer (missing: {missing})."
    ),
    "error.cohorts.rfm_missing.hint": "Build features from an event log first.",
    "error.cohorts.summary_missing": (
        "The segment summary needs segment and monetary per customer (missing: {missing})."
    ),
    "error.cohorts.summary_missing.hint": "Assign RFM segments first.",
    "error.cohorts.no_customers": "There are no customers to summarise by segment.",
    # cli
    "error.cli.sample_customers": "The sample shop needs at least 50 customers.",
    "error.cli.activity": "--activity needs purchase, any, or a list of event types.",
    "error.cli.spend_column_events": "--spend-column is for a model of a customer table; an event log's spend comes from its amounts.",
    "error.cli.output_is_input": "The output {out} is one of the input files; choose another name.",
    "error.mapping.bad_event_code": "'{pair}' is not a code=name pair.",
    "error.mapping.bad_event_code.hint": "Write the codes as 1=view,2=favorite,3=cart,4=purchase.",
    "error.mapping.codes_without_events": "Event codes were named, but no column holds event types.",
    "error.mapping.not_a_customer": "'{column}' cannot be the customer column: {evidence}",
    "error.mapping.not_a_customer.hint": "Choose the customer column on the Data page or with --map customer_id=COLUMN; the likeliest is '{likely}'.",
    "error.mapping.not_a_customer.hint_none": "Choose the customer column on the Data page or with --map customer_id=COLUMN, or add the file that holds the person (for example a customers file with a customer_unique_id).",
}

ZH: dict[str, str] = {
    # reading
    "error.reading.too_large": "文件“{file}”太大，这台电脑无法读取。",
    "error.reading.unreadable": "无法将文件“{file}”读取为表格（{reason}）。",
    "error.reading.missing": "文件“{file}”不存在。",
    "error.reading.missing.hint": "请检查文件路径。",
    "error.reading.folder": "“{file}”是一个文件夹，不是文件。",
    "error.reading.folder.hint": "请选择一个文件。",
    "error.reading.empty": "文件“{file}”是空的。",
    "error.reading.not_excel": "该文件扩展名为 {ext}，但并不是 Excel 工作簿（“{file}”）。",
    "error.reading.not_excel.hint": "请用 Excel 打开后另存为 .xlsx，或导出为 CSV。",
    "error.reading.not_parquet": "该文件扩展名为 {ext}，但并不是 Parquet 文件（“{file}”）。",
    "error.reading.not_parquet.hint": "请重新导出数据，或另存为 CSV。",
    "error.reading.binary": "文件“{file}”不是 churnlab 能读取的表格（看起来是二进制数据）。",
    "error.reading.binary.hint": "请将数据导出为 CSV、Excel、Parquet 或 JSON 格式。",
    "error.reading.no_rows": "文件“{file}”中没有任何行。",
    "error.reading.bad_workbook": "无法打开工作簿“{file}”，文件可能已损坏或设置了密码。",
    "error.reading.bad_workbook.hint": "请用 Excel 打开后另存为 .xlsx，或将该工作表导出为 CSV。",
    "error.reading.no_sheets": "工作簿“{file}”中没有工作表。",
    "error.reading.no_such_sheet": "工作簿“{file}”中没有名为“{sheet}”的工作表。",
    "error.reading.no_such_sheet.hint": "现有工作表：{sheets}。",
    "error.reading.empty_sheet": "“{file}”中的工作表“{sheet}”是空的。",
    "error.reading.bad_parquet": "Parquet 文件“{file}”已损坏或不完整。",
    "error.reading.bad_parquet.hint": "请重新复制或导出该文件，它可能在传输过程中被截断了。",
    "error.reading.bad_json": "JSON 文件“{file}”格式无效（第 {line} 行）。",
    "error.reading.bad_json.hint": "请重新导出，或将数据另存为 CSV。",
    "error.reading.no_records": "JSON 文件“{file}”中没有任何记录（行）。",
    "error.reading.no_columns": "文件“{file}”中没有任何列。",
    "error.reading.header_only": "文件“{file}”只有表头，没有数据行。",
    "error.reading.no_data_rows": "文件“{file}”中没有数据行。",
    # mapping
    "error.mapping.no_customer_id": "{source} 中没有哪一列像是客户 ID。已有的列：{columns}。",
    "error.mapping.unknown_role": "“{role}”不是 churnlab 支持的列作用。可用的作用：{roles}。",
    "error.mapping.bad_kind": "表类型只能是“events”或“customers”，不能是“{kind}”。",
    "error.mapping.bad_kind.hint": "行为日志请写 kind=events，客户表请写 kind=customers。",
    "error.mapping.no_such_column": "{source} 中没有“{column}”这一列。已有的列：{columns}。",
    "error.mapping.customer_id_needed": "需要一列客户 ID，请用 customer_id=列名 指定。",
    "error.mapping.bad_labels": "流失标签列“{column}”中有 churnlab 无法识别的值：{values}。",
    "error.mapping.bad_labels.hint": "请使用 1/0、是/否 或 流失/未流失，或改选其他标签列（label=列名）。",
    # cleaning
    "error.cleaning.missing_columns": (
        "列映射中指定的列在 {source} 中不存在：{missing}。已有的列：{columns}。"
    ),
    "error.cleaning.no_customer_id": "尚未为 {source} 选择客户 ID 列。",
    "error.cleaning.no_time": "行为日志需要一列时间，但在 {source} 中没有找到。",
    "error.cleaning.no_time.hint": "请用 timestamp=列名 指定时间列；如果这是客户表，请映射流失标签列。",
    # loading
    "error.loading.bad_pair": "“{pair}”不是“作用=列名”的格式。",
    "error.loading.bad_pair.hint": "请按 --map customer_id=CustomerID 的格式填写。",
    "error.loading.no_table": "没有加载任何数据表。",
    "error.loading.no_table.hint": "请至少上传一份行为日志或客户表。",
    "error.loading.no_file": "没有提供任何文件。",
    "error.loading.no_file.hint": "请至少提供一个导出文件。",
    "error.loading.unused_columns": "没有任何文件包含以下设置中指定的列：{pairs}。",
    "error.loading.unused_columns.hint": "请检查列名的拼写（必须与文件表头完全一致）。",
    # sample
    "error.sample.customers_range": "示例店铺的客户数需在 10 到 5,000,000 之间，当前为 {customers}。",
    "error.sample.days_range": "示例店铺的时间跨度需在 120 到 3650 天之间，当前为 {days}。",
    "error.sample.missing": "内置的示例店铺数据缺失（在 {folder} 中找不到 {files}）。",
    "error.sample.missing.hint": "可以用以下命令重新生成：python -m churnlab sample --out sample_data",
    # windows
    "error.windows.no_events": "行为日志中没有任何记录，无从学习。",
    "error.windows.no_events.hint": "请上传包含客户行为（订单、访问等）的导出数据。",
    "error.windows.too_short": (
        "数据只覆盖 {span} 天，而 {horizon} 天的观察期至少需要 {needed} 天的数据"
        "（截止日前 {history} 天的历史，加上截止日后的观察期）。"
    ),
    "error.windows.cutoff_too_late": (
        "所选截止日 {cutoff} 太晚：其 {horizon} 天的观察期到 {horizon_end} 才结束，"
        "晚于数据的结束日期（{data_end}）。"
    ),
    "error.windows.cutoff_too_late.hint": "请选择 {latest} 或更早的截止日，或留空由系统自动选择。",
    "error.windows.cutoff_too_early": (
        "所选截止日 {cutoff} 太早：截止日前需要 {history} 天的历史数据，而数据从 {data_start} 才开始。"
    ),
    "error.windows.cutoff_too_early.hint": "请选择 {earliest} 或更晚的截止日。",
    "error.windows.no_training_cutoff": (
        "数据只覆盖 {span} 天，在 {horizon} 天的观察期下，不足以先用较早的截止日训练、"
        "再用较晚的截止日评估。至少需要 {shortest} 天的历史数据。"
    ),
    "error.windows.no_training_cutoff.hint_cutoffs": (
        "请把截止日数量调到至少 {steps} 个（当前为 {max_cutoffs} 个），或缩短观察期。"
    ),
    "error.windows.no_training_cutoff.hint_export": "请导出至少 {shortest} 天的历史数据，或缩短观察期。",
    "error.windows.no_recent_activity": (
        "任何截止日前 {lookback} 天内都没有客户行为：数据中最晚的时间（{data_end}）远远晚于其他记录。"
    ),
    "error.windows.no_recent_activity.hint": (
        "请检查时间列中是否有错误日期（未来日期或占位值），或手动选择评估截止日。"
    ),
    "error.windows.nobody_to_label": "任何截止日之前都没有活跃客户，无法生成流失标签。",
    "error.windows.nobody_to_label.hint": "请延长回看期，或导出更长时间段的历史数据。",
    "error.windows.too_few_customers": (
        "评估截止日 {cutoff} 之前只有 {n_eval} 位活跃客户，至少需要 {minimum} 位才能评估模型。"
    ),
    "error.windows.too_few_customers.hint": "请延长回看期，或导出更多客户的数据。",
    "error.windows.all_churned": "在评估截止日 {cutoff}，全部 {n_eval} 位客户都已流失，没有可预测的对象。",
    "error.windows.all_stayed": "在评估截止日 {cutoff}，全部 {n_eval} 位客户都留存了下来，没有可预测的对象。",
    "error.windows.one_outcome.hint": (
        "请尝试其他观察期，或把更多类型的行为算作留存（例如任意访问，而不只是购买）。"
    ),
    # features
    "error.features.no_events_to_score": "行为日志中没有任何记录，没有可评分的客户。",
    "error.features.no_label_column": "客户表中没有标明客户是否流失的“{label}”列。",
    "error.features.no_label_column.hint": "请把流失列（是/否、1/0）映射为标签，或上传行为日志。",
    "error.features.label_not_binary": "“{label}”列的值必须是 1（已流失）或 0（未流失）。",
    "error.features.label_not_binary.hint": "请重新映射该列，以便 churnlab 将其值识别为是/否。",
    "error.features.label_other_values": "“{label}”列中含有 1（已流失）和 0（未流失）以外的值。",
    "error.features.one_label": "表中所有客户的流失标签都相同，模型无从学习。",
    "error.features.one_label.hint": "请上传同时包含流失客户和留存客户的表格。",
    "error.features.no_attributes": "客户表中没有可以描述客户特征的列。",
    "error.features.no_attributes.hint": "请补充会员等级、城市、注册日期或订单数等属性。",
    # config
    "error.config.horizon": "观察期必须在 7 到 730 天之间，当前为 {days} 天。",
    "error.config.lookback": "回看期必须在 14 到 3650 天之间，当前为 {days} 天。",
    "error.config.no_activity": "请至少选择一种算作留存的行为。",
    "error.config.cutoff_step": "截止日之间的间隔必须在 7 到 365 天之间。",
    "error.config.max_cutoffs": "训练截止日的数量必须在 1 到 60 之间。",
    "error.config.time_budget": "调参时间预算必须大于 0。",
    "error.config.max_trials": "至少需要尝试一组参数。",
    "error.config.learning_rate": "学习率必须大于 0 且不超过 1。",
    "error.config.max_depth": "树的深度必须在 1 到 10 之间。",
    "error.config.margin": "毛利率必须在 0% 到 100% 之间。",
    "error.config.save_rate": "挽回率必须在 0% 到 100% 之间。",
    "error.config.costs": "优惠成本和触达成本不能为负数。",
    "error.config.discount": "折扣必须在 0% 到 100% 之间。",
    "error.config.budget": "预算不能为负数。",
    "error.config.min_risk": "最低风险必须在 0% 到 100% 之间。",
    "error.config.value_days": "价值计算周期必须在 1 到 3650 天之间。",
    # export
    "error.export.folder": "{path} 是一个文件夹，请为名单指定文件名。",
    "error.export.format": "名单只能保存为 csv 或 xlsx，不支持“{format}”。",
    "error.export.no_salt": "对客户 ID 做匿名化处理需要一个非空的密钥（salt）。",
    # cohorts
    "error.cohorts.needs_events": "同期群留存分析需要包含客户、时间和行为类型的行为日志（缺少：{missing}）。",
    "error.cohorts.needs_events.hint": "请加载事件或订单导出数据，而不是客户表。",
    "error.cohorts.periods": "留存至少要显示一个月。",
    "error.cohorts.no_activity": "没有找到算作活跃的事件（{activity}），无法生成同期群。",
    "error.cohorts.no_activity.hint": "请检查行为类型的映射，或把任意行为都算作活跃。",
    "error.cohorts.span": "历史数据跨度超过 300 年，请检查日期列。",
    "error.cohorts.recency_not_numbers": "用于 RFM 分群的最近消费间隔（R）必须是数字。",
    "error.cohorts.frequency_not_numbers": "用于 RFM 分群的消费频次（F）必须是数字。",
    "error.cohorts.monetary_not_numbers": "用于 RFM 分群的消费金额（M）必须是数字。",
    "error.cohorts.rfm_lengths": "每位客户都必须有最近消费间隔、消费频次和消费金额各一个值。",
    "error.cohorts.rfm_missing": "RFM 分群需要每位客户的最近消费间隔、消费频次和消费金额（缺少：{missing}）。",
    "error.cohorts.rfm_missing.hint": "请先基于行为日志构建特征。",
    "error.cohorts.summary_missing": "分群汇总需要每位客户的分群和消费金额（缺少：{missing}）。",
    "error.cohorts.summary_missing.hint": "请先完成 RFM 分群。",
    "error.cohorts.no_customers": "没有可按分群汇总的客户。",
    # cli
    "error.cli.sample_customers": "示例店铺至少需要 50 位客户。",
    "error.cli.activity": "--activity 需要填写 purchase、any，或以逗号分隔的行为类型。",
    "error.cli.spend_column_events": "--spend-column 仅适用于客户表模型；事件日志的消费额来自其金额列。",
    "error.cli.output_is_input": "输出文件 {out} 与某个输入文件相同，请换一个文件名。",
    "error.mapping.bad_event_code": "“{pair}”不是“代码=名称”的形式。",
    "error.mapping.bad_event_code.hint": "请写成 1=view,2=favorite,3=cart,4=purchase。",
    "error.mapping.codes_without_events": "已为行为代码命名，但没有哪一列是行为类型。",
    "error.mapping.not_a_customer": "“{column}”不能作为客户列：{evidence}",
    "error.mapping.not_a_customer.hint": "请在数据页或用 --map customer_id=列名 选择客户列；最可能的是“{likely}”。",
    "error.mapping.not_a_customer.hint_none": "请在数据页或用 --map customer_id=列名 选择客户列，或加上记录“人”的文件（例如含 customer_unique_id 的客户文件）。",
}
