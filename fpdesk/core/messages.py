"""The error codes of the domain core, each with its Chinese and English text.

A code never changes once released: the CLI's ``--json`` output, roster reports and acceptance
checks outside this repository match on it. The Chinese text is what users read; the English
text is for the English UI and for logs. Templates use str.format fields.

This module is data only and imports nothing: ``fpdesk.core.errors`` loads it (and the tables of
storage, excel and services) by name the first time it meets a code it does not know, so a code
is known however few modules a program imported.
"""

from __future__ import annotations

# Blocking reasons: the person (or the household) cannot be enrolled.
BLOCKING_MESSAGES: dict[str, tuple[str, str]] = {
    "age_below_min": (
        "{who}在保险起期{on}时出生{days}天（{years}周岁），不满最低投保年龄{limit_zh}。",
        "{who_en} is {days} days old ({years} years) on the cover start {on}, below the minimum age of {limit_en}.",
    ),
    "age_above_max": (
        "{who}在保险起期{on}时已{years}周岁，新参保最高{limit}周岁（含）。",
        "{who_en} is {years} on the cover start {on}; new entrants may be at most {limit}.",
    ),
    "age_above_renewal_max": (
        "{who}在保险起期{on}时已{years}周岁，续保最高{limit}周岁（含）。",
        "{who_en} is {years} on the cover start {on}; renewals may be at most {limit}.",
    ),
    "category_not_eligible": (
        "家庭类别（{have_zh}）不在本产品参保范围内（{allowed_zh}）。",
        "The household's categories ({have_en}) are not covered by this product ({allowed_en}).",
    ),
    "missing_certificate": (
        "本产品须填写独生子女证号。",
        "This product needs the only-child certificate number.",
    ),
    "not_rural": ("本产品只限农村家庭参保。", "This product is for rural households only."),
    "not_reward_recipient": (
        "本产品只限享受独生子女父母奖励金的家庭参保。",
        "This product is only for households receiving the only-child parents' reward.",
    ),
    "not_on_eligible_list": (
        "{who}不在当年参保对象名单中。",
        "{who_en} is not on this year's list of eligible people.",
    ),
    "max_shares_exceeded": (
        "{subject_zh}本期已有{held}份，再登记{wanted}份将超过每{per_zh}最多{limit}份的限制。",
        "{subject_en} already holds {held} share(s) this period; {wanted} more would exceed the limit of "
        "{limit} per {per_en}.",
    ),
    "already_insured_this_period": (
        "{who}在本保险期间已经参保，不能重复登记。",
        "{who_en} is already insured for this period and cannot be enrolled twice.",
    ),
    "outside_enrollment_window": (
        "{on}不在参保登记期内：登记期为{opens}至{deadline}（{state_zh}）{next_zh}。",
        "{on} is outside the enrollment window {opens} to {deadline} ({state_en}){next_en}.",
    ),
    "payer_not_funding": (
        "本产品的缴费方式只能是{allowed_zh}，不能是“{requested_zh}”。",
        "This product is funded by {allowed_en} only, not by '{requested_en}'.",
    ),
    "declaration_not_met": (
        "{who}的登记表填写“{answer_zh}”：本产品只保{condition_zh}。",
        "{who_en} answered '{answer_en}' on the form: this product insures {condition_en} only.",
    ),
    "person_not_alive": ("{who}已{status_zh}，不能参保。", "{who_en} is {status_en} and cannot be insured."),
    "insured_role_not_covered": (
        "本产品只保{roles_zh}，{who}不属于此范围。",
        "This product insures {roles_en} only; {who_en} is not one of them.",
    ),
    "only_child_too_old": (
        "独生子女在保险起期{on}时已{years}周岁，本产品限{limit}周岁以内（含{limit}周岁）。",
        "The only child is {years} on the cover start {on}; this product requires {limit} or younger.",
    ),
    "only_child_birth_date_missing": (
        "请填写独生子女的出生日期，以便判断是否在{limit}周岁以内。",
        "Enter the only child's birth date so the age limit of {limit} can be checked.",
    ),
    "payer_not_allowed": (
        "缴费方式“{requested_zh}”不适用于此家庭，应为“{expected_zh}”。",
        "Payer '{requested_en}' does not apply to this household; expected '{expected_en}'.",
    ),
    "member_age_not_met": (
        "{member_zh}在保险起期{on}时{years}周岁，本产品要求{member_zh}{condition_zh}。",
        "{member} is {years} on the cover start {on}; this product requires {member} aged {condition_zh}.",
    ),
    "member_for_age_missing": (
        "本产品要求{member_zh}{condition_zh}，但本户没有登记{member_zh}（或缺少性别、出生日期）。",
        "This product has an age condition on {member} ({condition_zh}), but the household has no {member} on "
        "record (or lacks sex or birth date).",
    ),
    "campaign_over": (
        "本期活动的保险期间已于{end}结束，{on}的登记不能再参保。",
        "The campaign's cover ended on {end}; an entry on {on} can no longer be insured.",
    ),
    "no_insured_member": ("没有填写要参保的人员。", "No person to insure was given."),
}

# Warnings: shown to the user, never block.
WARNING_MESSAGES: dict[str, tuple[str, str]] = {
    "enrollment_closing_soon": (
        "参保登记将于{deadline}截止，还剩{days}天。",
        "Enrollment closes on {deadline}; {days} day(s) left.",
    ),
    "enrollment_late": (
        "登记期已于{deadline}截止，{on}登记为逾期登记（{cover_year}年度）{next_zh}。",
        "The enrollment deadline was {deadline}; entered on {on}, this is a late entry for {cover_year}{next_en}.",
    ),
    "cover_gap": (
        "上期保障已于{previous_end}结束，本期自{start}起：{first}至{last}共{days}天没有保障。",
        "The previous cover ended on {previous_end} and this one starts on {start}: {days} day(s) without cover "
        "({first} to {last}).",
    ),
    "historical_record": (
        "这是{season}年度的往年记录，按其登记日期{on}判断，不受当前登记期限制。",
        "A record from the {season} season: judged at its own date {on}, not blocked by the current window.",
    ),
    "assumed_terms": (
        "本产品有{count}项条款是暂定值（见产品定义文件），请与承保公司核对。",
        "Some terms of this product are assumed defaults ({fields}); confirm them with the insurer.",
    ),
}


MESSAGES: dict[str, tuple[str, str]] = {
    # resident ID numbers (GB 11643)
    "id_empty": ("请填写身份证号码。", "Enter the ID number."),
    "id_format": (
        "身份证号码应为18位（最后一位可以是X），现在是“{value}”。",
        "An ID number has 18 characters (the last may be X); got '{value}'.",
    ),
    "id_checksum": (
        "身份证号码“{value}”的校验位不对，请逐位核对。",
        "The check digit of ID number '{value}' is wrong; check each digit.",
    ),
    "id_birthdate": (
        "身份证号码“{value}”中的出生日期{birth}不存在或晚于今天。",
        "The birth date {birth} in ID number '{value}' does not exist or is in the future.",
    ),
    "id_region": (
        "身份证号码“{value}”的前两位{province}不是有效的省级代码。",
        "The first two digits {province} of ID number '{value}' are not a province code.",
    ),
    "id_legacy_not_allowed": (
        "新登记须填写18位身份证号码；15位旧号码只能在导入旧名册时使用。",
        "New registrations need the 18-digit ID number; 15-digit numbers are accepted only when importing old rosters.",
    ),
    # phones
    "bad_phone": (
        "电话号码“{value}”不正确：手机号应为1开头的11位数字，座机如 0598-1234567。",
        "Phone number '{value}' is not valid: a mobile has 11 digits starting with 1; a landline looks like 0598-1234567.",
    ),
    # people and households
    "missing_field": ("请填写“{field_zh}”。", "Fill in '{field_en}'."),
    "bad_date": ("日期“{value}”无法识别。", "The date '{value}' is not recognised."),
    "birth_date_mismatch": (
        "出生日期{typed}与身份证号码中的{derived}不一致。",
        "Birth date {typed} does not match {derived} in the ID number.",
    ),
    "sex_mismatch": (
        "性别与身份证号码不一致（号码表明为{derived}）。",
        "Sex does not match the ID number (it says {derived}).",
    ),
    "person_in_other_household": (
        "身份证号码{masked}已登记在{village}户主“{head}”的家庭中。",
        "ID number {masked} is already registered in the household of {head}, {village}.",
    ),
    "person_not_found": ("找不到这个人员记录{why_zh}。", "That person record was not found{why_en}."),
    "household_not_found": ("找不到这个家庭户记录。", "That household record was not found."),
    "household_not_empty": (
        "这户还有{count}名在册人员，请先迁出或登记死亡后再注销。",
        "This household still has {count} registered members; move them out or record their death first.",
    ),
    "household_needs_head": (
        "每户必须且只能有一名户主。",
        "A household needs exactly one head.",
    ),
    "unknown_division": (
        "找不到行政区划“{value}”。{hint_zh}",
        "Division '{value}' is not known.{hint_en}",
    ),
    "division_code_format": (
        "区划代码“{value}”格式不对：应为12位统计用区划代码。",
        "Division code '{value}' is malformed: a 12-digit statistical code is expected.",
    ),
    "unknown_category": ("未知的家庭类别“{value}”。", "Unknown household category '{value}'."),
    "unknown_relation": ("未知的与户主关系“{value}”。", "Unknown relation to head '{value}'."),
    "person_not_active": (
        "{name}已{status_zh}，不能再做此操作。",
        "{name} is {status_en}; this cannot be done any more.",
    ),
    "stale_record": (
        "这条记录已被他人修改（版本{expected}→{actual}），请刷新后再改。",
        "This record was changed meanwhile (revision {expected} → {actual}); reload and edit again.",
    ),
    # storage
    "db_newer_schema": (
        "数据库“{path}”由更新版本的 fpdesk 写入（结构版本 {revision}），请升级 fpdesk 后再打开。",
        "Database '{path}' was written by a newer fpdesk (schema {revision}); upgrade fpdesk to open it.",
    ),
    "db_not_initialised": (
        "数据库还没有设置本机单位，请先运行 fpdesk init 或打开设置向导。",
        "The database has no office yet; run 'fpdesk init' or the setup wizard first.",
    ),
    "db_already_initialised": (
        "这个数据库已经设置为“{name}”（{code}）。",
        "This database is already set up as '{name}' ({code}).",
    ),
    "db_unreachable": ("无法打开数据库：{detail}", "Cannot open the database: {detail}"),
    "office_code_format": (
        "单位代码“{value}”与级别不符：县为6位，乡镇为9位，村为12位数字。",
        "Office code '{value}' does not fit the level: 6 digits for a county, 9 for a township, 12 for a village.",
    ),
    "bad_argument": ("参数不正确：{detail}", "Bad argument: {detail_en}"),
    "file_error": ("无法读写“{path}”：{reason_zh}。请检查路径是否写对、文件夹是否存在。",
                   "Cannot read or write '{path}': {reason_en}. Check the path and that its folder exists."),
    # -- definition files: products and enrollment forms
    "product_definition_invalid": (
        "产品定义文件有误：{file}: {path}: {detail_zh}",
        "{file}: {path}: {detail_en}",
    ),
    "unknown_product": (
        "没有代码为“{code}”的险种（现有：{known}）。",
        "There is no insurance product with code '{code}' (known: {known}).",
    ),
    "form_definition_invalid": (
        "登记表定义文件有误：{file}: {path}: {detail_zh}",
        "{file}: {path}: {detail_en}",
    ),
    "unknown_form": (
        "产品“{product}”使用的登记表“{form}”不存在（{file}）。",
        "Product '{product}' names enrollment form '{form}', which does not exist ({file}).",
    ),
    "form_value_invalid": (
        "“{label_zh}”填写有误：{detail_zh}",
        "'{label_en}' is not valid: {detail_en}",
    ),
    "product_file_exists": (
        "文件 {file} 已存在，不会覆盖。请换一个产品代码或用 --out 指定别的文件。",
        "{file} already exists and is not overwritten; choose another code or --out file.",
    ),
    # -- enrollment states
    "status_transition_not_allowed": (
        "参保记录当前为“{from_zh}”，不能改为“{to_zh}”。",
        "The enrollment is {from_en}; it cannot become {to_en}.",
    ),
    # -- claims
    "claim_kind_unknown": ("理赔类别“{value}”无效（可选：{known}）。",
                           "Claim kind '{value}' is not known (choose from {known})."),
    "claim_status_transition": ("理赔当前为“{from_zh}”，不能改为“{to_zh}”。",
                                "The claim is {from_en}; it cannot become {to_en}."),
    "claim_not_insured": ("{name}在{date}没有有效的{product}保障，不能登记理赔。",
                          "{name} had no cover under {product} on {date}; the claim cannot be registered."),
    "claim_not_found": ("找不到理赔记录“{value}”。", "Claim '{value}' was not found."),
    "claim_documents_missing": ("理赔资料还缺：{missing}。", "Documents still missing: {missing}."),
    "claim_document_unknown": ("“{value}”不在{kind}的资料清单中。",
                               "'{value}' is not on the document checklist of {kind}."),
    "claim_over_limit": ("赔付金额{amount}超过{what}剩余的{left}。",
                         "The amount {amount} exceeds what is left of {what_en} ({left})."),
    "claim_report_missing": ("报案须填写报案日期和保险公司的报案号。",
                             "A report needs its date and the insurer's report number."),
    "claim_date_order": ("{earlier_zh}不能晚于{later_zh}。", "{earlier_en} cannot be after {later_en}."),
    "claim_kind_not_covered": ("{product}没有{kind}责任。", "{product} has no cover for {kind_en}."),
    # -- field lengths
    "text_too_long": ("{field_zh}最多{limit}个字，这里有{length}个字。",
                      "The {field_en} is at most {limit} characters long; this one has {length}."),
    # -- sync packages
    "not_a_package": ("“{name}”不是 fpdesk 数据交换包。", "'{name}' is not an fpdesk exchange package."),
    "package_format_unsupported": (
        "数据包格式版本 {version} 不受支持（本程序支持 {supported}），请升级 fpdesk。",
        "Package format version {version} is not supported (this program reads {supported}); upgrade fpdesk."),
    "package_truncated": ("数据包不完整（应为 {expected} 字节，只有 {actual} 字节），可能拷贝时被中断，请重新拷贝。",
                          "The package is incomplete ({actual} of {expected} bytes); copy it again."),
    "package_corrupt": ("数据包已损坏或被改动（{detail_zh}），未导入任何内容。",
                        "The package is damaged or was altered ({detail}); nothing was imported."),
    "package_malformed": ("数据包的内容格式不对（{detail_zh}），未导入任何内容。发送单位的程序可能有问题，请与它联系。",
                          "The package's content is malformed ({detail}); nothing was imported. The sender's "
                          "program may be at fault: contact that office."),
    "package_wrong_recipient": ("这个数据包是发给{recipient}的，不是本单位（{office}）。",
                                "This package is addressed to {recipient}, not to this office ({office})."),
    "package_unknown_sender": ("发送单位{sender}（设备 {device}）未在本机登记，不能导入。请先配对。",
                               "Sender {sender} (device {device}) is not registered here; pair the offices first."),
    "package_revoked_sender": ("发送设备 {device}（{sender}）已被注销，它的数据包不再接收。",
                               "Sending device {device} ({sender}) has been revoked; its packages are refused."),
    "package_replay": ("这个数据包（第{seq}号）比已导入的第{last}号旧，已拒收。",
                       "This package (no. {seq}) is older than no. {last}, already imported; refused."),
    "pairing_code_wrong": ("配对码不对，或邀请文件已被改动。请核对上级单位告知的配对码。",
                           "The pairing code is wrong or the invitation was altered; check the code the parent office gave."),
    "invitation_invalid": ("“{name}”不是有效的 fpdesk 邀请文件（{detail}）。",
                           "'{name}' is not a valid fpdesk invitation ({detail})."),
    # -- the rules engine's reasons (``fpdesk products eligibility --json`` prints them)
    **BLOCKING_MESSAGES,
    **WARNING_MESSAGES,
}

# Params a message may go without: a refusal raised in many places says more where it knows more.
MESSAGE_DEFAULTS: dict[str, dict[str, str]] = {"person_not_found": {"why_zh": "", "why_en": ""},
                                               "unknown_division": {"hint_zh": "", "hint_en": ""}}
