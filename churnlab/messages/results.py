"""Messages of control groups, campaign results, the backtest and uplift targeting."""

EN: dict[str, str] = {
    # errors
    "error.config.control_share": "The control share must be between 0 and 90 % (got {share}).",
    "error.results.no_plan": "The list has no campaign plan to split into treatment and control.",
    "error.results.campaign_csv": "The campaign file is written as CSV; '{out}' is not a .csv name.",
    "error.results.no_label": (
        "This campaign was made from a customer table: it is measured on a later export of the "
        "table with its churn label, and these files have none."
    ),
    "error.results.no_label.hint": (
        "Upload the same customer table exported after the campaign, with its churn column "
        "(e.g. Churn: Yes/No) filled in."
    ),
    "error.results.not_campaign": "This file is not a churnlab campaign file.",
    "error.results.not_campaign.hint": (
        "Upload the campaign file churnlab wrote at export (it starts with the line "
        "'churnlab campaign file'), unchanged."
    ),
    "error.results.missing_facts": "The campaign file lacks its campaign facts ({names}).",
    "error.results.unreadable_table": "The customer table of the campaign file cannot be read.",
    "error.results.missing_columns": "The campaign file lacks the columns {names}.",
    "error.results.missing_columns.hint": (
        "Upload the campaign file as churnlab wrote it; columns may not be removed."
    ),
    "error.results.bad_groups": (
        "The campaign file has groups churnlab does not know ({values}); groups must be "
        "treatment, control or not_selected."
    ),
    "error.results.bad_probability": "Some churn probabilities in the campaign file are missing.",
    "error.results.edited": (
        "The groups of this campaign file were edited after export, so treatment and control "
        "are no longer the random split."
    ),
    "error.results.edited.hint": (
        "Use the file exactly as exported; a changed split cannot measure the campaign fairly."
    ),
    "error.results.no_events": "The later export holds no events.",
    "error.results.no_events.hint": (
        "Upload an event or order export that covers the weeks after the campaign."
    ),
    "error.results.export_too_early": (
        "The export ends on {last}, before the campaign date {as_of}: nothing after the campaign "
        "is in it."
    ),
    "error.results.export_too_early.hint": "Upload an export that covers the weeks after the campaign.",
    "error.results.other_shop": (
        "None of the campaign's customers appear in this export: it belongs to another shop, or "
        "its ids are different."
    ),
    "error.results.other_shop.hint": (
        "Upload the export of the shop the campaign was made for (with the same customer ids)."
    ),
    "error.results.needs_salt": "The campaign file holds pseudonyms instead of customer ids.",
    "error.results.needs_salt.hint": (
        "Give the same salt that was used at export (--salt, or the field on the page)."
    ),
    "error.results.wrong_salt": "This salt is not the one the campaign file was pseudonymised with.",
    "error.results.no_control": (
        "The campaign file has no control group (or no treatment group), so the effect "
        "cannot be measured."
    ),
    "error.results.no_control.hint": (
        "Export the next campaign with a control share above 0 (the default is 10 %)."
    ),
    "error.uplift.too_few": (
        "Uplift targeting needs at least {minimum} treatment and {minimum} control customers "
        "with outcomes; this campaign has {treatment} and {control}."
    ),
    "error.uplift.too_few.hint": "Use a larger control share next time, or wait for a bigger campaign.",
    # notes and verdicts
    "results.partial": (
        "Only {observed} of the {horizon} days after the campaign are in the export: churn is "
        "'no purchase so far' and will fall as more weeks arrive."
    ),
    "results.stale": (
        "Retrain: the model has gone stale. Its realised ROC AUC is {realised}, well below the "
        "{reported} training reported out of time."
    ),
    "results.verdict.lowered": (
        "The campaign lowered churn by {points} points ({low}–{high}): about {kept} customers "
        "kept, {net} net."
    ),
    "results.verdict.lowered.partial": (
        "So far ({observed} of {horizon} days) the campaign lowered churn by {points} points "
        "({low}–{high}): about {kept} customers kept, {net} net."
    ),
    "results.verdict.raised": (
        "The campaign raised churn by {points} points ({low}–{high}): it pushed customers away."
    ),
    "results.verdict.raised.partial": (
        "So far ({observed} of {horizon} days) the campaign raised churn by {points} points "
        "({low}–{high})."
    ),
    "results.verdict.unclear": (
        "Not distinguishable from no effect yet; with this control group you could detect a "
        "difference of {mde} points."
    ),
    "results.verdict.unclear.partial": (
        "Not distinguishable from no effect yet ({observed} of {horizon} days observed); with "
        "this control group you could detect a difference of {mde} points."
    ),
    "results.cli.header": (
        "Campaign {campaign} of {as_of}: {observed} of {horizon} days after it observed."
    ),
    "results.cli.header_table": (
        "Campaign {campaign} of {as_of}: {customers} customers' churn labels in the later table."
    ),
    "results.missing_customers": (
        "{missing} of the campaign's {all} customers are not in the later table and are left out."
    ),
    "results.by_label": (
        "Measured on the churn label of the later customer table ({customers} of the campaign's "
        "customers in it)."
    ),
    "results.backtest.none": (
        "Backtest: too few untouched customers with both outcomes to check last campaign's scores."
    ),
    # the export (at-risk page)
    "holdout.title": "Control group",
    "holdout.share": "Control group (% of the selected customers, not contacted)",
    "holdout.share_help": (
        "Held back at random within each risk band, so the campaign's effect can be measured "
        "next month on the Campaign results page."
    ),
    "holdout.split": "{treatment} customers to contact, {control} held back as control.",
    "holdout.mde": (
        "With this split you can detect a difference in churn of {mde} points (80 % power, 5 % "
        "two-sided)."
    ),
    "holdout.mde_none": "With no control group the campaign's effect cannot be measured.",
    "holdout.download": "Download the campaign file (CSV)",
    "holdout.download_help": (
        "Every customer scored with their group (treatment, control, not_selected) and the "
        "campaign's facts in the header. Contact only the treatment group; upload this file "
        "unchanged with next month's export on Campaign results."
    ),
    # results page
    "nav.campaign_results": "Campaign results",
    "results.title": "Campaign results",
    "results.intro": (
        "Upload a campaign file and a later export that covers the weeks after the campaign: "
        "churnlab compares the treatment group with the control group and checks last "
        "campaign's predictions on the customers the offer did not touch."
    ),
    "results.sample_note": (
        "Showing the sample shop's past campaign of {as_of} (a simulation with a known effect: "
        "it helps coupon users, does nothing for most, and pushes away customers who often "
        "contact service). Upload your own files below."
    ),
    "results.upload_title": "Upload a campaign file and a later export",
    "results.upload_campaign": "Campaign file (CSV written at export)",
    "results.upload_exports": "Later export(s): events or orders after the campaign",
    "results.salt": "Salt (only if the campaign file was pseudonymised)",
    "results.waiting": "Upload a campaign file and at least one later export.",
    "results.verdict": "Verdict",
    "results.metric.treatment": "Churn, treatment",
    "results.metric.control": "Churn, control",
    "results.metric.uplift": "Uplift (points)",
    "results.metric.relative": "Relative reduction",
    "results.metric.kept": "Customers kept",
    "results.metric.net": "Net after offer costs",
    "results.metric.roi": "Return on offer costs",
    "results.metric.observed": "Days observed",
    "results.metric.customers": "Customers in the later table",
    "results.interval": "95 %: {low} to {high}",
    "results.bands": "Per risk band",
    "results.col.band": "Risk band",
    "results.col.treatment": "Treatment customers",
    "results.col.control": "Control customers",
    "results.col.churn_t": "Churn, treatment",
    "results.col.churn_c": "Churn, control",
    "results.col.uplift": "Uplift (points)",
    "results.col.low": "95 % low",
    "results.col.high": "95 % high",
    "results.col.customers": "Customers",
    "results.col.predicted": "Predicted churn",
    "results.col.observed": "Observed churn",
    "results.spend": (
        "Spend in the observed weeks: {difference} per treated customer against control "
        "({low} to {high})."
    ),
    "results.backtest.title": "Last campaign's predictions, checked",
    "results.backtest.intro": (
        "On the {n} customers the offer did not touch (control and not selected): how well did "
        "the scores of {as_of} rank who churned?"
    ),
    "results.backtest.auc": "Realised ROC AUC",
    "results.backtest.reported": "training reported {auc} out of time",
    "results.backtest.lift": "Lift, top 10 %",
    "results.backtest.capture": "Churners caught in the top 10 %",
    "results.apply": "Use the measured save rate in the campaign planner",
    "results.apply_help": (
        "Replaces the guessed save rate on the At-risk page by the one this campaign measured."
    ),
    "results.applied": "The planner now uses the measured save rate {rate} ({low}–{high}).",
    "results.save_rate": "Measured save rate (share of would-be churners kept): {rate} ({low}–{high}).",
    "results.save_rate_unusable": (
        "The measured save rate is not above zero, so it cannot replace the planner's guess."
    ),
    "campaign.save_rate_source.measured": (
        "Save rate measured by campaign {campaign} of {as_of}: {rate} (95 % {low}–{high})."
    ),
    "campaign.save_rate_source.guess": (
        "Save rate: your assumption. Measure it with a control group (Campaign results)."
    ),
    "campaign.save_rate_forget": "Go back to my own guess",
    "chart.results.title": "Churn by risk band: treatment against control",
    "chart.results.churn": "Churn rate",
    "chart.results.band": "Risk band",
    "chart.results.treatment": "Treatment",
    "chart.results.control": "Control",
    "chart.backtest.title": "Predicted against observed churn (untouched customers)",
    "chart.backtest.predicted": "Predicted",
    "chart.backtest.observed": "Observed",
    "chart.qini.title": "Qini curve, {n} customers (cross-fitted): who does the offer keep?",
    "chart.qini.x": "Share of customers targeted",
    "chart.qini.y": "Customers kept (incremental)",
    "chart.qini.uplift": "Uplift model",
    "chart.qini.risk": "By churn risk",
    "chart.qini.random": "Random targeting",
    "report.section.results": "Campaign results (campaign of {as_of})",
    "uplift.title": "Uplift targeting",
    "uplift.intro": (
        "Two small models, one on the treatment group and one on the control group, estimate "
        "each customer's effect of the offer (needs at least {minimum} customers in each group; "
        "this campaign has {treatment} and {control}). The Qini curve is cross-fitted: each of the "
        "{held_out} customers is scored by models that never saw them."
    ),
    "uplift.area.uplift": "Qini area, uplift model",
    "uplift.area.risk": "Qini area, by churn risk",
    "uplift.area_help": "Customers kept above random targeting, averaged over the share targeted, per customer.",
    "uplift.apply": "Rank the planner by expected incremental gain",
    "uplift.apply_help": (
        "The At-risk planner then ranks by estimated effect × value × margin − cost instead of "
        "risk × an assumed save rate."
    ),
    "uplift.applied": "The planner ranks by the uplift model of campaign {campaign}.",
    "uplift.toggle": "Rank by expected incremental gain (uplift model of campaign {campaign})",
    "uplift.toggle_help": (
        "Effect × value × margin − cost, with each customer's effect estimated from the "
        "measured campaign, instead of risk × one save rate."
    ),
    "column.estimated_effect": "Estimated reduction of this customer's churn probability if contacted (uplift model; negative: the offer pushes them away).",
}

ZH: dict[str, str] = {
    "error.config.control_share": "对照组比例必须在 0 到 90 % 之间（当前为 {share}）。",
    "error.results.no_plan": "名单没有可拆分为干预组和对照组的营销计划。",
    "error.results.campaign_csv": "营销活动文件以 CSV 格式写出；“{out}”不是 .csv 文件名。",
    "error.results.no_label": "这次营销活动来自客户表：需要用活动之后再次导出、带流失标签的客户表来衡量，而这些文件中没有流失标签。",
    "error.results.no_label.hint": "请上传活动之后导出的同一份客户表，并包含填写好的流失列（例如 Churn：Yes/No）。",
    "error.results.not_campaign": "这个文件不是 churnlab 的营销活动文件。",
    "error.results.not_campaign.hint": (
        "请上传 churnlab 导出时写出的营销活动文件（首行为“churnlab campaign file”），不要修改。"
    ),
    "error.results.missing_facts": "营销活动文件缺少活动信息（{names}）。",
    "error.results.unreadable_table": "无法读取营销活动文件中的客户表。",
    "error.results.missing_columns": "营销活动文件缺少列 {names}。",
    "error.results.missing_columns.hint": "请按 churnlab 导出的原样上传文件，不要删除列。",
    "error.results.bad_groups": (
        "营销活动文件中有 churnlab 不认识的分组（{values}）；分组只能是 treatment、control 或 not_selected。"
    ),
    "error.results.bad_probability": "营销活动文件中有缺失的流失概率。",
    "error.results.edited": "这个营销活动文件的分组在导出后被修改过，干预组和对照组已不再是随机拆分。",
    "error.results.edited.hint": "请使用导出时的原始文件；被改动的分组无法公平地衡量活动效果。",
    "error.results.no_events": "后续导出中没有任何事件。",
    "error.results.no_events.hint": "请上传覆盖活动之后几周的事件或订单导出。",
    "error.results.export_too_early": "导出数据截止于 {last}，早于活动日期 {as_of}：其中没有活动之后的数据。",
    "error.results.export_too_early.hint": "请上传覆盖活动之后几周的导出。",
    "error.results.other_shop": "活动中的客户一个也没有出现在这份导出里：它属于另一家店铺，或客户编号不同。",
    "error.results.other_shop.hint": "请上传该活动所属店铺的导出（客户编号相同）。",
    "error.results.needs_salt": "营销活动文件中是假名而不是客户编号。",
    "error.results.needs_salt.hint": "请提供导出时使用的同一个盐值（--salt 或页面上的输入框）。",
    "error.results.wrong_salt": "这个盐值不是营销活动文件假名化时使用的那个。",
    "error.results.no_control": "营销活动文件中没有对照组（或没有干预组），无法衡量效果。",
    "error.results.no_control.hint": "下次导出时请把对照组比例设为大于 0（默认 10 %）。",
    "error.uplift.too_few": (
        "增益定位至少需要 {minimum} 位干预组和 {minimum} 位对照组客户的结果；本次活动只有 {treatment} 和 {control} 位。"
    ),
    "error.uplift.too_few.hint": "下次请使用更大的对照组比例，或等待更大规模的活动。",
    "results.partial": (
        "导出中只有活动后 {horizon} 天中的 {observed} 天：流失的含义是“到目前为止没有购买”，随着更多数据到来会下降。"
    ),
    "results.stale": "请重新训练：模型已经过时。它的实际 ROC AUC 为 {realised}，远低于训练时跨期验证报告的 {reported}。",
    "results.verdict.lowered": "活动使流失率降低了 {points} 个百分点（{low}–{high}）：约留住 {kept} 位客户，净收益 {net}。",
    "results.verdict.lowered.partial": (
        "到目前为止（{horizon} 天中的 {observed} 天），活动使流失率降低了 {points} 个百分点（{low}–{high}）：约留住 {kept} 位客户，净收益 {net}。"
    ),
    "results.verdict.raised": "活动使流失率提高了 {points} 个百分点（{low}–{high}）：它把客户推走了。",
    "results.verdict.raised.partial": (
        "到目前为止（{horizon} 天中的 {observed} 天），活动使流失率提高了 {points} 个百分点（{low}–{high}）。"
    ),
    "results.verdict.unclear": "目前还无法与“没有效果”区分开；以这个对照组的规模，可以检测到 {mde} 个百分点的差异。",
    "results.verdict.unclear.partial": (
        "目前还无法与“没有效果”区分开（已观察 {horizon} 天中的 {observed} 天）；以这个对照组的规模，可以检测到 {mde} 个百分点的差异。"
    ),
    "results.cli.header": "活动 {campaign}（{as_of}）：已观察活动后 {horizon} 天中的 {observed} 天。",
    "results.cli.header_table": "活动 {campaign}（{as_of}）：后来的客户表中 {customers} 位客户的流失标签。",
    "results.missing_customers": "活动的 {all} 位客户中有 {missing} 位不在后来的客户表中，未计入。",
    "results.by_label": "依据后来的客户表中的流失标签衡量（其中包含活动的 {customers} 位客户）。",
    "results.backtest.none": "回测：未受活动影响且结果齐全的客户太少，无法检验上次的评分。",
    "holdout.title": "对照组",
    "holdout.share": "对照组（选中客户的百分比，不联系）",
    "holdout.share_help": "在每个风险等级内随机留出，以便下个月在“活动效果”页衡量活动的效果。",
    "holdout.split": "联系 {treatment} 位客户，留出 {control} 位作为对照组。",
    "holdout.mde": "按这个拆分，可以检测到 {mde} 个百分点的流失率差异（检验效能 80 %，双侧 5 %）。",
    "holdout.mde_none": "没有对照组就无法衡量活动的效果。",
    "holdout.download": "下载营销活动文件（CSV）",
    "holdout.download_help": (
        "列出所有已评分的客户及其分组（treatment、control、not_selected），文件头部记录活动信息。"
        "只联系干预组；下个月在“活动效果”页把此文件原样与新的导出一起上传。"
    ),
    "nav.campaign_results": "活动效果",
    "results.title": "活动效果",
    "results.intro": (
        "上传营销活动文件和覆盖活动之后几周的新导出：churnlab 比较干预组与对照组，"
        "并在未受活动影响的客户上检验上次的预测。"
    ),
    "results.sample_note": (
        "正在展示示例店铺 {as_of} 的一次历史活动（效果已知的模拟：它帮助常用优惠券的客户，"
        "对大多数客户没有作用，并会推走经常联系客服的客户）。可在下方上传自己的文件。"
    ),
    "results.upload_title": "上传营销活动文件和后续导出",
    "results.upload_campaign": "营销活动文件（导出时写出的 CSV）",
    "results.upload_exports": "后续导出：活动之后的事件或订单",
    "results.salt": "盐值（仅当营销活动文件做过假名化时需要）",
    "results.waiting": "请上传一个营销活动文件和至少一份后续导出。",
    "results.verdict": "结论",
    "results.metric.treatment": "流失率（干预组）",
    "results.metric.control": "流失率（对照组）",
    "results.metric.uplift": "增益（百分点）",
    "results.metric.relative": "相对降低",
    "results.metric.kept": "留住的客户",
    "results.metric.net": "扣除优惠成本后的净收益",
    "results.metric.roi": "优惠成本回报率",
    "results.metric.observed": "已观察天数",
    "results.metric.customers": "后来客户表中的客户",
    "results.interval": "95 %：{low} 至 {high}",
    "results.bands": "按风险等级",
    "results.col.band": "风险等级",
    "results.col.treatment": "干预组客户",
    "results.col.control": "对照组客户",
    "results.col.churn_t": "流失率（干预组）",
    "results.col.churn_c": "流失率（对照组）",
    "results.col.uplift": "增益（百分点）",
    "results.col.low": "95 % 下限",
    "results.col.high": "95 % 上限",
    "results.col.customers": "客户数",
    "results.col.predicted": "预测流失率",
    "results.col.observed": "实际流失率",
    "results.spend": "观察期内消费：干预组每位客户比对照组多 {difference}（{low} 至 {high}）。",
    "results.backtest.title": "上次预测的检验",
    "results.backtest.intro": "在 {n} 位未受活动影响的客户（对照组和未选中）上：{as_of} 的评分对谁会流失排序得如何？",
    "results.backtest.auc": "实际 ROC AUC",
    "results.backtest.reported": "训练时跨期验证为 {auc}",
    "results.backtest.lift": "提升度（前 10 %）",
    "results.backtest.capture": "前 10 % 中捕获的流失客户",
    "results.apply": "在营销规划中使用实测挽回率",
    "results.apply_help": "用本次活动实测的挽回率替换“风险客户”页上的估计值。",
    "results.applied": "营销规划现在使用实测挽回率 {rate}（{low}–{high}）。",
    "results.save_rate": "实测挽回率（本会流失的客户中被留住的比例）：{rate}（{low}–{high}）。",
    "results.save_rate_unusable": "实测挽回率不大于零，不能替换规划中的估计值。",
    "campaign.save_rate_source.measured": "挽回率由活动 {campaign}（{as_of}）实测：{rate}（95 % {low}–{high}）。",
    "campaign.save_rate_source.guess": "挽回率：你的假设。可用对照组实测（活动效果页）。",
    "campaign.save_rate_forget": "改回我自己的估计",
    "chart.results.title": "各风险等级的流失率：干预组与对照组",
    "chart.results.churn": "流失率",
    "chart.results.band": "风险等级",
    "chart.results.treatment": "干预组",
    "chart.results.control": "对照组",
    "chart.backtest.title": "预测与实际流失率（未受影响的客户）",
    "chart.backtest.predicted": "预测",
    "chart.backtest.observed": "实际",
    "chart.qini.title": "Qini 曲线（{n} 位客户，交叉拟合）：优惠留住了谁？",
    "chart.qini.x": "目标客户占比",
    "chart.qini.y": "额外留住的客户",
    "chart.qini.uplift": "增益模型",
    "chart.qini.risk": "按流失风险",
    "chart.qini.random": "随机选择",
    "report.section.results": "活动效果（{as_of} 的活动）",
    "uplift.title": "增益定位",
    "uplift.intro": (
        "两个小模型分别在干预组和对照组上训练，估计每位客户受优惠影响的效果（每组至少需要 {minimum} 位客户；"
        "本次活动有 {treatment} 和 {control} 位）。Qini 曲线采用交叉拟合：{held_out} 位客户中的每一位都由没见过他的模型评分。"
    ),
    "uplift.area.uplift": "Qini 面积（增益模型）",
    "uplift.area.risk": "Qini 面积（按流失风险）",
    "uplift.area_help": "相对随机选择额外留住的客户数，按目标占比平均后折算到每位客户。",
    "uplift.apply": "让营销规划按预期增量收益排序",
    "uplift.apply_help": "“风险客户”页的规划将按 估计效果 × 价值 × 毛利 − 成本 排序，而不是 风险 × 假设的挽回率。",
    "uplift.applied": "营销规划按活动 {campaign} 的增益模型排序。",
    "uplift.toggle": "按预期增量收益排序（活动 {campaign} 的增益模型）",
    "uplift.toggle_help": "效果 × 价值 × 毛利 − 成本，每位客户的效果由已衡量的活动估计，而不是 风险 × 统一的挽回率。",
    "column.estimated_effect": "联系该客户后其流失概率的估计降低值（增益模型；为负表示优惠会把客户推走）。",
}
