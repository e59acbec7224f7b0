"""The error codes of the Excel layer (rosters read and written) with their Chinese and English texts.

Data only, importing nothing: ``fpdesk.core.errors`` loads this module by name the first time it
meets a code it does not know (see there). A code never changes once released (the CLI's ``--json``
output and acceptance checks match on it); a new one goes here, never into the module that raises it.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- rosters read and written
    "roster_cell": ("第{row}行“{column}”列：{detail_zh}", "Row {row}, column '{column}': {detail_en}"),
    # file-level: nothing is written
    "unreadable_file": (
        "无法读取文件“{file}”：{detail_zh}",
        "Cannot read the file '{file}': {detail_en}",
    ),
    "encrypted_file": (
        "文件“{file}”设置了打开密码，请在 Excel/WPS 中取消密码后另存，再导入。",
        "The file '{file}' is password-protected; remove the password in Excel/WPS, save it and import again.",
    ),
    "no_header": (
        "在工作表“{sheet}”的前{scanned}行中找不到表头（至少需要“姓名”或“身份证号码”等两列）。",
        "No header row in the first {scanned} rows of sheet '{sheet}' (at least two columns such as 姓名 and 身份证号码).",
    ),
    "empty_file": ("文件“{file}”（工作表“{sheet}”）中没有数据行。", "The file '{file}' (sheet '{sheet}') holds no data rows."),
    "sheet_not_found": ("文件中没有名为“{sheet}”的工作表（有：{known}）。",
                        "The file has no sheet named '{sheet}' (it has: {known})."),
    # row-level
    "id_lost_precision": (
        "身份证号码“{value}”被 Excel 存成了数字，后几位已经丢失；请把这一列设置为“文本”格式后重新录入号码。",
        "ID number '{value}' was stored by Excel as a number and its last digits are lost; "
        "format the column as text and type the number again.",
    ),
    "id_duplicate_in_file": (
        "身份证号码{masked}在本文件第{first_row}行已经出现过。",
        "ID number {masked} already appears in row {first_row} of this file.",
    ),
    "unknown_payer": ("缴费方式“{value}”无法识别，应为政府投保、自主投保或单位投保（也可写政府、自费、单位）。",  # glossary: also read
                      "Payer '{value}' is not recognised; use government-paid, self-paid or employer-paid."),
    "bad_shares": ("份数“{value}”应为不小于1的整数。", "Shares '{value}' must be a whole number of at least 1."),
    "ineligible": ("{name}不符合参保条件（{codes}）：{reasons_zh}", "{name} cannot be enrolled ({codes}): {reasons_en}"),
    "over_max_shares": ("{detail_zh}", "{detail_en}"),
    "household_held_back": (
        "同一户的第{rows}行有错误，这一户暂不导入；改正后可将本行一起重新导入。",
        "Row(s) {rows} of the same household have errors, so this household is not imported yet; "
        "fix them and import these rows again.",
    ),
    "enrollment_held_back": (
        "同一户第{rows}行的参保信息有错误：这一户已登记，参保暂不办理；改正后将本行一起重新导入即可参保。",
        "Row(s) {rows} of the same household have enrollment errors: the household is registered, its "
        "enrollment waits; fix them and import these rows again to enroll it.",
    ),
    # notes: done, nothing to fix
    "duplicate_line_merged": ("第{row}行与第{first_row}行完全相同，已合并为一人。",
                              "Row {row} is identical to row {first_row}; the two were taken as one person."),
    "roster_enrollment_warning": ("本文件{households}户：{reason_zh}", "{households} household(s) of this file: {reason_en}"),
    "product_read_as_chosen": (
        "“险种”列的“{value}”不是已知的险种名称，这{count}行（第{rows}行）按所选险种“{chosen}”办理。",
        "The 险种 column's '{value}' names no known product: these {count} rows ({rows}) are enrolled in the "
        "chosen product, {chosen_en}."),
    # not insured: registered, left out of the enrollment by the product's rules
    "not_insured": ("第{row}行 {name}：{reason_zh}", "Row {row}, {name}: {reason_en}"),
    # file-level notices: the file imports, and what it cannot do is said once
    "form_columns_missing": (
        "文件中没有这些列：{columns}（{products}参保须填写，涉及{rows}行）。家庭户和人员照常登记，这些行的参保暂不办理。"
        "请为每一列回答一次“全部填为…”（命令行：{sets}），或在文件中加上这些列，再重新导入。",
        "The file has no column for: {columns_en} (needed to enroll in {products_en}, {rows} rows). Households and "
        "people are registered; the enrollment of these rows waits. Answer each once for the whole file "
        "(command line: {sets}), or add the columns, and import again.",
    ),
    "roster_unknown_product": (
        "险种“{value}”无法识别（第{rows}行）；可用的险种：{known}。这些行的家庭户和人员照常登记，参保暂不办理；"
        "请改正“险种”列，或选择险种（命令行 --product）后重新导入。",
        "Product '{value}' is not known (rows {rows}); known: {known}. Households and people of these rows are "
        "registered, their enrollment waits; correct the 险种 column or choose the product (--product) and "
        "import again.",
    ),
    "roster_enrollment_refused": (
        "{reason_zh}本文件的家庭户和人员照常登记，这{households}户的参保没有办理。{hint_zh}",
        "{reason_en} The file's households and people are registered; the enrollment of these {households} "
        "households was not made.{hint_en}",
    ),
    # -- files beyond what the readers may safely open
    "file_too_large": ("文件“{file}”超出本程序能读入的范围：{detail_zh}。请检查文件，或分成几个文件导入。",
                       "The file '{file}' is beyond what this program reads: {detail_en}. Check the file, or "
                       "import it in parts."),
}
