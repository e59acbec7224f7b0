"""How the import's notes and refusals name kinds of records, their fields and operations: clerks read
them (the import dialog, the command line), and a code such as ``person`` or ``insert`` means nothing
to them. A kind, field or operation not listed is named by its code."""

from __future__ import annotations

# (zh, en) for each kind of record a package may carry
RECORDS = {"office": ("单位", "office"), "division": ("行政区划", "division"), "household": ("家庭户", "household"),
           "person": ("人员", "person"), "consent": ("知情同意", "consent"), "enrollment": ("参保", "enrollment"),
           "insured_person": ("被保险人", "insured person"), "payment": ("缴费", "payment"),
           "contribution": ("保费分担", "premium share"), "refund": ("退费", "refund"),
           "allocation_item": ("资金划拨明细", "allocation item"), "hand_up": ("上缴", "hand-up"),
           "allocation": ("资金划拨", "allocation"), "claim": ("理赔", "claim"), "claim_event": ("理赔记录", "claim event"),
           "target": ("任务指标", "target"), "population": ("人口底数", "population figure"),
           "sync_duplicate": ("疑似重复", "possible duplicate"), "office_key": ("单位密钥", "office key"),
           "office_registration": ("单位登记", "office registration"),
           "product_definition": ("产品定义", "product definition"),
           # kept in each office alone: named when a package brings one (a refusal says which)
           "setting": ("设置", "setting"), "user_account": ("用户账号", "user account"), "access": ("权限", "access"),
           "print_log": ("打印记录", "print log"), "eligible_list_entry": ("应保名单", "eligible list entry"),
           "sync_invitation": ("配对邀请", "pairing invitation"), "sync_conflict": ("同步冲突", "sync conflict"),
           "cash_handover": ("现金交接", "cash handover"), "device_key": ("设备密钥", "device key"),
           "change_log": ("修改记录", "change log")}
# the words of the record page (gui/widgets/field_values.py) for a household's and a person's fields, the
# ones a value can be too long for or not fit
FIELDS = {"name": ("姓名", "name"), "id_number": ("身份证号", "ID number"), "phone": ("电话", "phone"),
          "phone2": ("备用电话", "second phone"), "relation": ("与户主关系", "relation to the head"),
          "address": ("地址", "address"), "certificate_no": ("独生子女证号", "only-child certificate number"),
          "note": ("备注", "note"), "status": ("状态", "status"), "sex": ("性别", "sex"),
          "birth_date": ("出生日期", "date of birth"), "status_date": ("状态日期", "status date"),
          "categories": ("家庭类别", "household category"), "is_rural": ("农村户口", "rural household"),
          "reward_recipient": ("奖励扶助对象", "reward recipient"), "division_id": ("村（社区）", "village"),
          "household_id": ("所在家庭户", "household")}
OPERATIONS = {"insert": ("新增", "insert"), "update": ("修改", "update"), "delete": ("删除", "delete"),
              "resolve": ("处理", "resolve")}


def record_zh(entity: str) -> str:
    return RECORDS.get(entity, (entity, entity))[0]


def record_en(entity: str) -> str:
    return RECORDS.get(entity, (entity, entity))[1]


def field_words(field: str) -> tuple[str, str]:
    return FIELDS.get(field, (field, field))


def operation_zh(operation: str) -> str:
    return OPERATIONS.get(operation, (operation, operation))[0]
