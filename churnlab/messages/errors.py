"""Error messages and hints raised by the engine (keys ``error.*``).

English is what the CLI prints; the app shows the user's language. Values in
braces are filled in at raise time (see ``churnlab.errors.ChurnlabError``).
"""

EN: dict[str, str] = {
    "error.hint.InputError": "Export the data again as CSV, Excel, Parquet or JSON and upload that file.",
    "error.hint.EmptyFileError": "Check that you exported the right report and that it has rows below the header.",
    "error.hint.MappingError": "Choose the right column for each role (CLI: --map role=column).",
    "error.hint.InsufficientHistoryError": "Use a shorter horizon, or export a longer period of history.",
    "error.hint.BundleError": "Train the model again with this version of churnlab and save a new bundle.",
}

ZH: dict[str, str] = {
    "error.hint.InputError": "请将数据重新导出为 CSV、Excel、Parquet 或 JSON 文件后再上传。",
    "error.hint.EmptyFileError": "请确认导出的是正确的报表，并且表头下方有数据行。",
    "error.hint.MappingError": "请为每种作用选择正确的列（命令行：--map role=列名）。",
    "error.hint.InsufficientHistoryError": "请缩短观察期，或导出更长时间段的历史数据。",
    "error.hint.BundleError": "请用当前版本的 churnlab 重新训练模型并保存新的模型包。",
}
