"""The error codes of the services with their Chinese and English texts, grouped by job.

Data only, importing nothing: ``fpdesk.core.errors`` loads this module by name the first time it
meets a code it does not know (see there). A code never changes once released (the CLI's ``--json``
output and acceptance checks match on it); a new one goes here, never into the module that raises it.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the workspace, permissions and undo
    "db_not_empty": ("这个数据库已有{persons}名人员，不能再生成演示数据；请换一个新文件。",
                     "This database already holds {persons} persons; generate the demo into a new file."),
    "login_required": ("这个数据库已设置用户，请先登录（命令行用 --user，密码从提示或环境变量 FPDESK_PASSWORD 读取）。",
                       "This database has user accounts: log in first (CLI: --user, password from the prompt "
                       "or FPDESK_PASSWORD)."),
    "not_permitted": ("用户“{user}”的角色（{role_zh}）不能执行此操作：{permission_zh}。",
                      "User '{user}' ({role_en}) may not do this: {permission_en}."),
    "nothing_to_undo": ("没有可以撤销的修改。", "There is nothing to undo."),
    "undo_blocked": ("这条记录已被其他业务引用（如参保），不能撤销，请直接修改。",
                     "Other records (an enrollment, say) refer to this one; it cannot be undone, edit it instead."),
    # -- trust: accounts, unlocking, keys, encryption, the audit log, backups
    "login_failed": ("用户名或密码不对（还可再试{left}次）。", "Wrong user name or password ({left} tries left)."),
    "account_locked": ("账户“{user}”因多次输错密码已锁定，请{minutes}分钟后再试，或请管理员重置密码。",
                       "Account '{user}' is locked after repeated wrong passwords: try again in {minutes} minutes "
                       "or ask an administrator to reset the password."),
    "account_disabled": ("账户“{user}”已停用。", "Account '{user}' is disabled."),
    "user_exists": ("用户名“{user}”已存在。", "User name '{user}' is taken."),
    "user_not_found": ("没有用户“{user}”。", "There is no user '{user}'."),
    "bad_user_name": ("用户名须为1–40个字符，不能有空格。", "A user name has 1–40 characters and no spaces."),
    "weak_password": ("密码至少8位。", "A password needs at least 8 characters."),
    "bad_role": ("角色“{role}”不存在；可选：录入员 data_entry、审核员 reviewer、管理员 admin、只读 viewer。",
                 "No role '{role}'; choose data_entry, reviewer, admin or viewer."),
    "first_user_admin": ("第一个用户必须是管理员。", "The first user must be an administrator."),
    "last_admin": ("不能停用或降级最后一个管理员。", "The last administrator cannot be disabled or demoted."),
    "wrong_password": ("原密码不对。", "The current password is wrong."),
    "bad_recovery_code": ("恢复码不对。", "The recovery code is wrong."),
    "unlock_failed": ("用户名或密码不对，打不开这个加密的数据库。",
                      "Wrong user name or password: the encrypted database stays locked."),
    "key_already_registered": ("单位{office_code}的密钥{key_number}已登记为不同的公钥。",
                               "Key {key_number} of office {office_code} is already registered with a different value."),
    "encryption_needs_users": ("加密前请先设置管理员并登录。", "Set up an administrator and log in before encrypting."),
    "already_encrypted": ("数据库已经加密。", "The database is encrypted already."),
    "audit_broken": ("审计日志第 {seq} 条被改动、删除或挪动过（{reason_zh}）。",
                     "Audit log entry {seq_en} was edited, deleted or moved ({reason_en})."),
    "bad_record_id": ("记录编号“{value}”不正确。", "'{value}' is not a record id."),
    "backup_sqlite_only": ("PostgreSQL 数据库请用服务器自带的 pg_dump 备份。",
                           "Back up a PostgreSQL database with the server's own pg_dump."),
    "restore_same_file": ("不能用数据库文件本身恢复它自己。", "A database cannot be restored from itself."),
    "backup_exists": ("文件“{path}”已经存在，没有覆盖。要覆盖它，请加 --force（或换一个文件名）。",
                      "'{path}' exists already and was not overwritten; add --force to overwrite it (or choose "
                      "another name)."),
    "backup_onto_database": ("“{path}”是{what}，备份不会覆盖它（加 --force 也不会）。请换一个文件名。",
                             "'{path}' is {what_en}; a backup never overwrites it, not even with --force. Choose "
                             "another name."),
    # -- registry: divisions, people's data
    "divisions_no_header": (
        "文件“{file}”的前{scanned}行中找不到区划名单的表头（至少需要“代码”和“名称”两列）。",
        "No header in the first {scanned} rows of '{file}' (a division list needs at least 代码 and 名称)."),
    "divisions_village_office": (
        "村（社区）一级不能添加或导入行政区划；区划名单由县里下发，乡镇可以添加本乡镇的村。",
        "A village office cannot add or import divisions; the county sends the list and a township may add "
        "its own villages."),
    "division_not_under_office": (
        "“{under}”不在本单位（{office}）的范围内：乡镇只能添加本乡镇的村（社区）。",
        "'{under}' is not within this office ({office}): a township adds villages of its own only."),
    "division_unit_by_county": (
        "机关单位由县里添加，再随数据包下发到各乡镇。",
        "Agency units are added by the county and reach the townships with its packages."),
    "division_code_taken": ("区划代码 {code} 已经用于“{name}”。", "Division code {code} is already '{name}'."),
    "division_name_taken": ("“{parent}”下已经有“{name}”（{code}）。",
                            "'{parent}' already has '{name}' ({code})."),
    "division_code_not_under": ("区划代码 {code} 不属于“{parent}”（{parent_code}）。",
                                "Division code {code} is not under '{parent}' ({parent_code})."),
    "division_kind_mismatch": (
        "区划代码 {code} 是{actual_zh}的代码，不是{wanted_zh}的代码。",
        "Division code {code} is a {actual_en} code, not a {wanted_en} code."),
    "division_codes_full": ("“{parent}”下已没有可用的{kind_zh}代码，请用 --code 指定。",
                            "No free {kind_en} code is left under '{parent}'; give one with --code."),
    "consent_guardian_required": (
        "{name}未满14周岁（{age}周岁），须由父母或其他监护人同意，请填写监护人姓名。",
        "{name} is under 14 ({age}): a parent or guardian consents; enter the guardian's name."),
    "consent_future": ("同意日期{value}晚于今天。", "The consent date {value} is in the future."),
    "bad_retention": ("保存年限应为1–30年。", "Keep data for 1 to 30 years."),
    # -- enrollment: the catalog, entering, members, facts, status changes
    "forms_folder_missing": (
        "产品定义目录“{folder}”不存在，或其中缺少 products、enrollment 子目录，或没有任何险种。请在“数据交换”中重新选择，或恢复这个目录。",
        "The product definitions folder '{folder}' is missing, lacks its products or enrollment folder, or "
        "has no product; choose it again under Exchange, or restore it."),
    "product_withdrawn": (
        "险种“{name}”已由县计生协停办，不能再新办参保；已有的参保记录照常查询、打印和理赔。",
        "{product} has been withdrawn by the county: no new enrollments; its existing enrollments can still "
        "be looked up, printed and claimed on."),
    "forms_folder_county_only": (
        "只有县级单位使用自己的产品定义目录；乡镇和村按县级下发的定义办理。",
        "Only the county works from a definitions folder of its own; townships and villages use what the "
        "county publishes."),
    "enrollment_exists": (
        "本户已有{year}年度“{product}”的参保记录；增加被保险人或份数，请在这条参保记录上办理。",
        "The household already has a {year} enrollment in {product}; add insured persons or shares to it.",
    ),
    "enrollment_refused": (
        "不能参保：{reasons_zh}{hint_zh}",  # the codes are in the refusal's params, not in a clerk's sentence
        "Cannot enroll: {reasons_en}{hint_en}",
    ),
    "policy_year_mismatch": (
        "登记日期{on}属于{derived}保险年度，不是{year}年度；补录往年名册请填写当年的登记日期。",
        "Enrollment date {on} belongs to policy year {derived}, not {year}; for an old roster give its own date.",
    ),
    "date_in_future": ("日期{on}晚于今天（{today}）。", "The date {on} is after today ({today})."),
    "consent_missing": (
        "参保须本人自愿：请记录由谁同意（本人，未满14周岁的由监护人）。",
        "Enrollment is voluntary: record who consented (the person, or a guardian for a child under 14).",
    ),
    "not_an_agency_unit": ("“{value}”不是机关单位。", "'{value}' is not an agency unit."),
    "unknown_form_field": (
        "登记表“{form}”没有字段“{key}”（可用：{known}）。",
        "Enrollment form '{form}' has no field '{key}' (known: {known}).",
    ),
    "change_outside_period": (
        "变动日期{on}不在保险期间内（{start}至{end}）。",
        "The date {on} is outside the policy period ({start} to {end}).",
    ),
    "enrollment_not_active": (
        "参保记录已{status_zh}，不能再增减被保险人。",
        "The enrollment is {status_en}; insured persons can no longer change.",
    ),
    "not_insured_here": ("{name}不在这条参保记录的被保险人中。", "{name} is not insured under this enrollment."),
    "member_not_in_household": (
        "“{value}”不是这一户的成员（可以填写人员编号、身份证号码或姓名）。",
        "'{value}' is not a member of this household (give a person id, ID number or name).",
    ),
    "member_ambiguous": (
        "这一户有多人叫“{value}”，请改用身份证号码。",
        "Several members of this household are called '{value}'; use the ID number.",
    ),
    "household_not_active": ("这一户已注销，不能参保。", "This household is retired and cannot be enrolled."),
    "enrollment_not_found": ("找不到参保记录“{value}”。", "No enrollment matches '{value}'."),
    "enrollment_ambiguous": (
        "“{value}”对应{count}条参保记录，请指定产品和年度，或使用参保记录编号。",
        "'{value}' matches {count} enrollments; give the product and year, or the enrollment id.",
    ),
    "payment_amount_mismatch": (
        "应收保费{due}，本次金额{amount}不符：收据只收保费，不能多收或少收。",
        "{due} is owed; {amount} does not match: a receipt is for the premium only, no more, no less.",
    ),
    "nothing_to_pay": ("这条参保记录的保费已经缴清。", "The premium of this enrollment is fully paid."),
    "payment_not_found": ("找不到收据“{value}”。", "No receipt '{value}'."),
    "payment_already_voided": ("收据{receipt_no}已经作废。", "Receipt {receipt_no} is already void."),
    "void_after_hand_up": (
        "名册已上报，收据{receipt_no}不能再作废；请办理退保。",
        "The roster was handed up; receipt {receipt_no} can no longer be voided — refund instead.",
    ),
    "reason_missing": ("请填写原因。", "Give a reason."),
    "policy_number_missing": ("请填写保险公司出具的保单号。", "Enter the insurer's policy number."),
    "enrollment_has_payment": (
        "已收保费{paid}，不能直接取消：请办理退保，或先作废收据。",
        "{paid} has been received; refund it, or void the receipt, instead of cancelling.",
    ),
    "nothing_to_refund": (
        "这条参保记录没有收到保费，不能退保；请直接取消。",
        "No premium was received for this enrollment; cancel it instead of refunding.",
    ),
    "refund_too_large": ("退款{amount}超过已收保费{paid}。", "A refund of {amount} exceeds the {paid} received."),
    "hand_up_unpaid": (
        "家庭自缴的保费还差{owed}，收齐后才能上报。",
        "The family still owes {owed}; hand the enrollment up once it is paid.",
    ),
    # -- money: premiums and allocations
    "not_paid_in_cash": (
        "这户是{payer_zh}，保费通过拨款结算，不开给家庭的收据（请登记拨款：fpdesk money allocate）。",
        "This household's premium is paid by the {payer_en}: it is settled by an allocation, not a receipt "
        "in the family's name (record the allocation: fpdesk money allocate).",
    ),
    "not_an_allocating_payer": (
        "拨款只用于政府投保、单位投保的保费（家庭自缴的保费开收据）。",
        "Allocations are for money of the government or an employer (the family's own premium gets a receipt).",
    ),
    "voucher_missing": ("请填写拨款凭证号或文号。", "Give the voucher or document number of the allocation."),
    "nothing_to_allocate": (
        "没有{payer_zh}应拨而未拨的保费（{what}）。",
        "Nothing is owed by the {payer_en} here ({what}).",
    ),
    "allocation_short": (
        "凭证金额{amount}少于这{count}条参保记录应拨的{owed}：请核对金额，或只选其中的参保记录。",
        "The voucher's {amount} is less than the {owed} owed on these {count} enrollments: check the amount, "
        "or allocate to fewer of them.",
    ),
    "voucher_used": (
        "凭证{voucher}已登记过一次拨款（{on}，{amount}）。",
        "Voucher {voucher} was already recorded ({on}, {amount}).",
    ),
    "allocation_not_found": ("找不到凭证号为“{value}”的拨款。", "No allocation with voucher '{value}'."),
    "allocation_already_voided": ("凭证{value}的拨款已经作废。", "The allocation of voucher {value} is already void."),
    # -- rosters: import, questions, hand-up, eligible lists
    "roster_changed_since_check": (
        "名册文件“{file}”在检查之后被修改过，检查结果已不适用。请重新检查后再导入。",
        "The roster '{file}' was changed after it was checked; check it again before importing."),
    "data_changed_since_check": (
        "检查名册之后，本单位的数据有了变动（例如导入了数据包），检查结果已不适用。请重新检查后再导入。",
        "The office's data changed after the roster was checked (a package was imported, say); check it "
        "again before importing."),
    "import_settings_changed_since_check": (
        "导入的设置（工作表、年度、险种或列的对应）在检查之后改过了。请重新检查后再导入。",
        "The import's settings (sheet, year, product or columns) changed after the check; check again "
        "before importing."),
    "roster_unknown_answer": (
        "“{field}”不是登记表的项目（--set 项目=值）；可用：{known}。",
        "'{field}' is not a question of the enrollment form (--set FIELD=VALUE); known: {known}."),
    "roster_answer_format": ("“{text}”应写成 项目=值，例如 被保险人身体健康=是。",
                             "'{text}' must read FIELD=VALUE, e.g. health_declaration=yes."),
    "nothing_to_hand_up": (
        "{scope}没有可以上报的{year}年度“{product}”参保记录（已上报的不再重复上报；自主投保未缴费的{unpaid}户须先收费）。",
        "{scope} has no {year} enrollment in {product} to hand up (those handed up are not sent twice; "
        "{unpaid} self-paid household(s) must pay first).",
    ),
    "roster_not_found": (
        "找不到团单号或上报编号为“{value}”的上报名册。",
        "No roster was handed up under group policy or roster number '{value}'.",
    ),
    "roster_already_confirmed": (
        "上报名册{number}已于{on}录入承保（团单号{policy}）。",
        "Roster {number} was confirmed on {on} (group policy {policy}).",
    ),
    "roster_policy_differs": (
        "上报名册{number}的团单号是{policy}，不是{given}。",
        "Roster {number} carries group policy {policy}, not {given}.",
    ),
    "exception_not_on_roster": (
        "身份证号码{masked}不在上报名册{number}的被保险人中。",
        "ID number {masked} is not insured on roster {number}.",
    ),
    "list_file_unreadable": ("无法读取名单文件“{file}”：{detail}", "Cannot read the list file '{file}': {detail}"),
    "list_file_empty": ("名单文件“{file}”中没有身份证号码。", "The list file '{file}' holds no ID numbers."),
    # -- printouts and bulletins
    "nothing_to_print": ("没有符合条件的{what}可以打印。", "There are no {what_en} to print for this selection."),
    "bad_paper": ("纸张“{value}”不可用，可选：{choices}。", "Paper '{value}' is not available; choose {choices}."),
    "print_overtaken": ("另一台电脑同时在打印，这次没有打印成；请再打印一次。",
                        "Another computer was printing at the same time, so nothing was printed; please print again."),
    "bulletin_format": ("通报只能保存为 .pdf 或 .xlsx 文件（现在是“{value}”）。",
                        "A bulletin is saved as .pdf or .xlsx (got '{value}')."),
    "bulletin_week": ("周次应为1到{last}（{year}年），现在是{week}。", "Week must be 1 to {last} in {year}; got {week}."),
    # -- reports: targets
    "targets_file_rejected": ("任务表有{count}行不能导入，整个文件未导入：{first}",
                              "{count} rows of the target table cannot be imported; nothing was imported: {first}"),
    "targets_no_header": ("文件“{file}”中找不到表头（需要“乡镇”和“任务数”或“政府投保”“自主投保”等列）。",
                          "No header row found in '{file}' (a township column and target columns are needed)."),
    "target_negative": ("任务数不能为负数。", "A target cannot be negative."),
    "target_rate_over_100": ("覆盖率不能超过100%（现在是“{value}”）。", "A rate cannot be over 100% (got '{value}')."),
    "target_rate_bad": ("“{value}”不是百分数（可写60%、60或0.6）。",
                        "'{value}' is not a percentage (write 60%, 60 or 0.6)."),
    "target_stretch_below": ("力争覆盖率 {stretch} 低于目标 {rate}。", "The stretch rate {stretch} is below the target {rate}."),
    "target_stretch_alone": ("只有按比例（覆盖率）下达的任务才有力争覆盖率。",
                             "Only a target set as a rate can have a stretch rate."),
    "target_forms_conflict": ("一行只能填一种任务（份数、户数、人数或覆盖率），这一行填了：{forms}。",
                              "One row sets one form of target (shares, households, persons or a rate); "
                              "this one sets: {forms}."),
    "target_count_bad": ("“{value}”不是户数或人数（要写整数）。", "'{value}' is not a number of households or persons."),
    "target_measure": ("任务口径“{value}”不认识（可用：份数、户数、人数、户数覆盖率、人口覆盖率）。",
                       "Unknown target measure '{value}'."),
    "target_census_missing": ("{count}个区划没有{year}年的{base}：{divisions}。按比例下达的任务要先导入常住人口和户数，"
                              "整个文件未导入。",
                              "{count} divisions have no census base for {year}: {divisions}. Import the census "
                              "households and population first; nothing was imported."),
    "population_no_header": ("文件“{file}”中找不到表头（需要“乡镇”或“区划代码”和“常住人口”列）。",
                             "No header row found in '{file}' (a division column and a population column are needed)."),
    # -- sync: identities, ownership, conflicts, duplicates
    "office_not_child": ("{code}不是本单位（{office}）的下级单位，不能在这里登记或注销。",
                         "{code} is not below this office ({office}); it cannot be registered or revoked here."),
    "office_unknown": ("本机没有单位{code}的登记。", "No registration of office {code} here."),
    "peer_unknown": ("单位{code}不是本单位的上级或下级交换单位。请先配对。",
                     "Office {code} is not a paired parent or child of this office; pair first."),
    "peer_not_joined": ("下级单位{code}还没有用邀请文件完成设置，请等它先交来第一个数据包。",
                        "Office {code} has not joined yet; import its first package before sending to it."),
    "package_forbidden": (
        "{sender_name}（{sender}）发来的数据包含有它无权发送的内容（{detail_zh}），整个数据包未导入。"
        "请与该单位核实它使用的 fpdesk 程序。",
        "The package from {sender_name} ({sender}) holds what it may not send ({detail}); nothing was "
        "imported. Check the fpdesk program that office runs."),
    "package_entity_unknown": (
        "{sender_name}（{sender}）发来的数据包含有本程序不认识的记录类型“{entity}”（对方的 fpdesk 版本可能较新），"
        "整个数据包未导入。请升级 fpdesk 后再导入。",
        "The package from {sender_name} ({sender}) holds records of a kind this program does not know "
        "('{entity}'; the sender may run a newer fpdesk); nothing was imported. Upgrade fpdesk and import "
        "it again."),
    "conflict_not_found": ("找不到冲突 {id}（可能已经处理）。", "Conflict {id} was not found (it may be resolved already)."),
    "conflict_bad_take": ("处理方式应为 ours、theirs 或 字段=值（字段须是冲突中的字段：{fields}）。",
                          "Take ours, theirs or FIELD=VALUE (fields in conflict: {fields})."),
    "duplicate_not_found": ("找不到这条疑似重复记录。", "That suspected duplicate was not found."),
    "bad_decision": ("处理方式应为 distinct（不是同一人）、merged（合并）或 open（撤销合并）。",
                     "The decision is distinct (not the same person), merged, or open (undo a merge)."),
    # -- reports: the coverage check's findings (the side each is on stays with the check)
    "duplicate_id_in_year": (
        "{who}在{year}年度“{product_zh}”中重复参保{count}次（{where}）。",
        "{who_en} is insured {count} times under {product} in {year} ({where})."),
    "insured_ineligible": (
        "{who}不符合“{product_zh}”的参保条件：{reasons_zh}",
        "{who_en} does not meet the conditions of {product}: {reasons_en}"),
    "government_paid_outside_category": (
        "{who}户按政府投保参保“{product_zh}”，但家庭类别（{have_zh}）不属于政府投保范围。",
        "{who_en}'s household is government-paid under {product}, but its categories ({have_en}) are not."),
    "insured_deceased": (
        "{who}已于{on}死亡，仍在{year}年度“{product_zh}”被保险人名单中。",
        "{who_en} died on {on} but is still insured under {product} in {year}."),
    "insured_moved_out": (
        "{who}已于{on}迁出，仍在{year}年度“{product_zh}”被保险人名单中。",
        "{who_en} moved out on {on} but is still insured under {product} in {year}."),
    "person_in_two_households": (
        "身份证号码{masked}登记在{count}户中（{where}）。",
        "ID number {masked} is registered in {count} households ({where})."),
    "insured_not_on_list": (
        "{who}参保了{year}年度“{product_zh}”，但不在当年的对象名单中。",
        "{who_en} is insured under {product} in {year} but is not on that year's list."),
    "eligible_list_not_enrolled": (
        "{who}在{year}年度“{product_zh}”对象名单中，但没有参保。",
        "{who_en} is on the {year} list for {product} but not insured."),
    "eligible_list_not_registered": (
        "{who}在{year}年度“{product_zh}”对象名单中，但本库没有此人的登记。",
        "{who_en} is on the {year} list for {product} but not registered here."),
    "full_coverage_not_enrolled": (
        "{who}户属于{have_zh}（政府投保、应全覆盖），{year}年度未参保“{product_zh}”。",
        "{who_en}'s household ({have_en}) must be fully covered by the government but has no {year} "
        "enrollment in {product}."),
    "not_renewed": (
        "{who}{last_year}年度参保“{product_zh}”，{year}年度尚未续保。",
        "{who_en} was insured under {product} in {last_year} and is not yet renewed for {year}."),
    "renewal_gap": (
        "{who}户“{product_zh}”上期保障{previous_end}结束，本期{start}开始，{first}至{last}共{days}天没有保障。",
        "{who_en}'s household: {product} ended on {previous_end} and starts again on {start}; {days} day(s) "
        "without cover ({first} to {last})."),
}
