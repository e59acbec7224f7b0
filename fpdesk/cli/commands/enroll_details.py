"""What ``fpdesk enroll`` prints of an enrollment: its status, money, insured people and receipts, in
Chinese or (under --lang en) English; the --json shape is ``services/enrollment/status.py``'s."""

from __future__ import annotations

from fpdesk.core.language import english, on_its_own

# how the consent was given, in the words of the paper form (the codes stay in --json)
_CONSENT_WORDS = {"signed_form": "书面签字", "verbal": "口头同意", "guardian": "监护人同意",
                  "renewal_confirmation": "续保确认", "imported_roster": "名册导入"}


def _payer_word(payer: str) -> str:
    return {"government": "政府", "employer": "单位", "self": "家庭"}.get(payer, payer)


def details_text(d: dict, warnings, receipt_no) -> str:
    from fpdesk.core.money import format_fen
    from fpdesk.core.products import LIABILITY_KINDS
    from fpdesk.core.vocabulary import PayerType

    if english():
        return _details_en(d, warnings, receipt_no)
    payer = PayerType(d["payer"]).label_zh if d["payer"] in {p.value for p in PayerType} else d["payer"]
    method = _CONSENT_WORDS.get(d["consent"]["method"], d["consent"]["method"])

    period = (f"{d['period'][0]} 零时至 {d['period'][1]} 二十四时" if d["period"][0]
              else "收到保费的次日零时起一年（尚未收到保费）")
    funded = "、".join(f"{_payer_word(c['payer'])} {format_fen(c['amount_fen'])}" for c in d["contributions"])
    lines = [f"参保记录 {d['id']}",
             f"  产品：{d['product']}    年度：{d['policy_year']}    状态：{d['status_zh']}"
             + (f"（{d['status_reason']}）" if d["status_reason"] else ""),
             f"  保险期间：{period}    缴费方式：{payer}",
             f"  应收：{format_fen(d['premium_fen'])}（{funded}）    已收现金：{format_fen(d['paid_fen'])}"
             + (f"    待收：{format_fen(d['owed_fen'])}" if d["owed_fen"] else "")
             + (f"    已退：{format_fen(d['refunded_fen'])}" if d["refunded_fen"] else ""),
             "  日期：" + "，".join(f"{label} {d[key]}" for key, label in (
                 ("enrolled_on", "登记"), ("received_on", "保费到账"), ("handed_up_on", "上报"), ("issued_on", "承保"))
                 if d[key]),
             f"  同意：{d['consent']['by']}（{d['consent']['on']}，{method}）"]
    if d["cover_gap"]:
        gap = d["cover_gap"]
        lines.append(f"  与上期保障（至 {d['previous_cover_end']}）间断：{gap['first']} 至 {gap['last']}，共 {gap['days']} 天")
    if d["hand_up"]:
        lines.append(f"  上报名册：{d['hand_up']['number']}（{d['hand_up']['handed_up_on']}）")
    if d["policy_number"]:
        lines.append(f"  保单号：{d['policy_number']}")
    for person in d["insured"]:
        sums = "，".join(f"{LIABILITY_KINDS.get(s['kind'], (s['kind'],))[0]} {format_fen(s['amount_fen'])}"
                        for s in person["sums_insured"]
                        if s.get("amount_fen") is not None)
        ended = f"，{person['removed_on']} 减员（{person['removal_reason']}）" if person["removed_on"] else ""
        cover = person["cover"]
        own = f"，保障 {cover[0]} 至 {cover[1]}" if cover[0] and cover[0] != d["period"][0] else ""
        lines.append(f"  被保险人：{person['name']} {person['id_number'] or ''} 自 {person['added_on']}{ended}{own}  {sums}")
    for payment in d["payments"]:
        void = f"  [作废：{payment['void_reason']}]" if payment["voided"] else ""
        lines.append(f"  收据 {payment['receipt_no']}：{format_fen(payment['amount_fen'])}，{payment['paid_on']}{void}")
    for item in d["allocations"]:
        void = "  [作废]" if item["voided"] else ""
        lines.append(f"  拨款 {item['voucher_no']}（{item['payer_name'] or _payer_word(item['payer'])}）："
                     f"{format_fen(item['amount_fen'])}，{item['allocated_on']}{void}")
    for item in d["refunds"]:
        lines.append(f"  退费 {format_fen(item['amount_fen'])} 退给{_payer_word(item['payer'])}，{item['refunded_on']}："
                     f"{item['reason']}")
    if receipt_no:
        lines.append(f"本次收据号：{receipt_no}")
    lines += [f"提示 [{w.code}]：{w.message_zh}" for w in warnings]
    return "\n".join(lines)


_CONSENT_WORDS_EN = {"signed_form": "signed form", "verbal": "verbal", "guardian": "guardian's consent",
                     "renewal_confirmation": "renewal confirmation", "imported_roster": "imported roster"}


def _payer_word_en(payer: str) -> str:
    return {"government": "government", "employer": "employer", "self": "family"}.get(payer, payer)


def _details_en(d: dict, warnings, receipt_no) -> str:
    from fpdesk.core import enrollment_states as states
    from fpdesk.core.money import format_fen
    from fpdesk.core.products import LIABILITY_KINDS
    from fpdesk.core.vocabulary import PayerType

    payer = PayerType(d["payer"]).label_en if d["payer"] in {p.value for p in PayerType} else d["payer"]
    method = _CONSENT_WORDS_EN.get(d["consent"]["method"], d["consent"]["method"])
    period = (f"{d['period'][0]} 00:00 to {d['period'][1]} 24:00" if d["period"][0]
              else "one year from 00:00 the day after the premium is received (not received yet)")
    funded = ", ".join(f"{_payer_word_en(c['payer'])} {format_fen(c['amount_fen'])}" for c in d["contributions"])
    lines = [f"Enrollment {d['id']}",
             f"  Product: {d['product']}    Year: {d['policy_year']}    Status: {on_its_own(states.label_en(d['status']), True)}"
             + (f" ({d['status_reason']})" if d["status_reason"] else ""),
             f"  Period of cover: {period}    Payer: {payer}",
             f"  Due: {format_fen(d['premium_fen'])} ({funded})    Cash received: {format_fen(d['paid_fen'])}"
             + (f"    Outstanding: {format_fen(d['owed_fen'])}" if d["owed_fen"] else "")
             + (f"    Refunded: {format_fen(d['refunded_fen'])}" if d["refunded_fen"] else ""),
             "  Dates: " + ", ".join(f"{label} {d[key]}" for key, label in (
                 ("enrolled_on", "registered"), ("received_on", "premium received"), ("handed_up_on", "handed up"),
                 ("issued_on", "confirmed")) if d[key]),
             f"  Consent: {d['consent']['by']} ({d['consent']['on']}, {method})"]
    if d["cover_gap"]:
        gap = d["cover_gap"]
        lines.append(f"  Gap after the previous cover (to {d['previous_cover_end']}): {gap['first']} to {gap['last']},"
                     f" {gap['days']} days")
    if d["hand_up"]:
        lines.append(f"  Roster handed up: {d['hand_up']['number']} ({d['hand_up']['handed_up_on']})")
    if d["policy_number"]:
        lines.append(f"  Policy number: {d['policy_number']}")
    for person in d["insured"]:
        sums = ", ".join(f"{LIABILITY_KINDS.get(s['kind'], (s['kind'], s['kind']))[1]} {format_fen(s['amount_fen'])}"
                         for s in person["sums_insured"] if s.get("amount_fen") is not None)
        ended = f", removed {person['removed_on']} ({person['removal_reason']})" if person["removed_on"] else ""
        cover = person["cover"]
        own = f", covered {cover[0]} to {cover[1]}" if cover[0] and cover[0] != d["period"][0] else ""
        lines.append(f"  Insured: {person['name']} {person['id_number'] or ''} from {person['added_on']}{ended}{own}  {sums}")
    for payment in d["payments"]:
        void = f"  [void: {payment['void_reason']}]" if payment["voided"] else ""
        lines.append(f"  Receipt {payment['receipt_no']}: {format_fen(payment['amount_fen'])}, {payment['paid_on']}{void}")
    for item in d["allocations"]:
        void = "  [void]" if item["voided"] else ""
        lines.append(f"  Allocation {item['voucher_no']} ({item['payer_name'] or _payer_word_en(item['payer'])}):"
                     f" {format_fen(item['amount_fen'])}, {item['allocated_on']}{void}")
    for item in d["refunds"]:
        lines.append(f"  Refund {format_fen(item['amount_fen'])} to the {_payer_word_en(item['payer'])},"
                     f" {item['refunded_on']}: {item['reason']}")
    if receipt_no:
        lines.append(f"Receipt number: {receipt_no}")
    lines += [f"Note [{w.code}]: {w.message_en}" for w in warnings]
    return "\n".join(lines)
