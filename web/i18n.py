"""The app's words in Simplified Chinese (first: office staff read Chinese first) and English."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "app": ("出入境受理系统", "mailroom"),
    "sign_in": ("登录", "Sign in"), "sign_out": ("退出", "Sign out"),
    "name": ("用户名", "Name"), "password": ("密码", "Password"),
    "bad_login": ("用户名或密码错误。", "Wrong name or password."),
    "insecure_http": (
        "此地址使用未加密的 HTTP，浏览器不会保存登录凭据，因此无法在这里登录。请改用 https:// 地址"
        "（管理员可设置 MAILROOM_WEB_TLS_CERT 和 MAILROOM_WEB_TLS_KEY，或在前面加一个反向代理），"
        "或在本机上用 http://127.0.0.1 打开。",
        "This address uses plain HTTP, so your browser will not keep the sign-in cookie and "
        "signing in cannot work here. Open the https:// address instead (an administrator sets "
        "MAILROOM_WEB_TLS_CERT and MAILROOM_WEB_TLS_KEY, or puts a reverse proxy in front), or "
        "open http://127.0.0.1 on the server itself."),
    "merge_applicant": ("将本案更正后的申请人信息并入档案",
                        "Merge this case's corrected applicant into the record"),
    "blank_form": ("下载空白申请表 (PDF)", "Download the blank application form (PDF)"),
    "upload_refused": ("未接收", "Refused"),
    "upload_saved": ("已放入扫描文件夹", "Placed in the scan folder"),
    "throttled": ("此地址登录失败次数过多，请15分钟后再试。",
                  "Too many failed sign-ins from this address: try again in 15 minutes."),
    "slowed": ("此账号最近有多次登录失败，请稍候几秒再试（秒数见下）。",
               "This account had several failed sign-ins: wait the seconds below, then try again."),
    "queue": ("待审队列", "Review queue"), "my_cases": ("我的案件", "My cases"),
    "group_cases": ("本组待领取", "Unassigned in my group"), "claim": ("领取", "Claim"),
    "claim_next": ("领取下一件", "Claim the next case"),
    "reference": ("案件编号", "Case"), "type": ("类别", "Type"), "status": ("状态", "Status"),
    "priority": ("优先级", "Priority"), "due": ("办结期限", "Due"),
    "days_left": ("剩余工作日", "Working days left"), "applicant": ("申请人", "Applicant"),
    "documents": ("材料", "Documents"), "fields": ("识别信息", "Extracted fields"),
    "suggestion": ("机器识别，待确认", "machine-read, to confirm"),
    "confirmed": ("已确认", "confirmed"), "correct": ("更正", "Correct"),
    "checklist": ("材料清单", "Checklist"), "flags": ("提示", "Flags"),
    "approve": ("批准", "Approve"), "reject": ("不予批准", "Reject"),
    "reason": ("理由", "Reason"), "request_materials": ("一次性告知补正材料", "Request materials"),
    "emails": ("已发邮件", "E-mails sent"), "audit": ("操作记录", "Audit trail"),
    "earlier_cases": ("既往案件", "Earlier cases"), "on_file": ("系统存档", "Records on file"),
    "custody": ("护照保管", "Passport custody"), "shipments": ("快递", "Shipments"),
    "problems": ("受理异常", "Intake problems"), "triage": ("待分拣", "Triage"),
    "batches": ("单位批量申请", "Batches"), "batch": ("批量申请", "Batch"),
    "organization": ("单位", "Organisation"), "contact": ("联系人", "Contact"),
    "received": ("收到时间", "Received"), "cases_opened": ("所立案件", "Cases"),
    "lists_held": ("名单", "Lists"), "people_listed": ("列明人数", "People listed"),
    "unread_rows": ("未能识别的行（请人工录入）", "Rows that could not be read (enter them)"),
    "names_no_one": ("未能对应申请人的材料", "Documents naming no applicant"),
    "in_batch": ("所属批量申请", "In batch"),
    "upload": ("上传扫描件", "Upload scans"), "dashboard": ("运行概况", "Dashboard"),
    "reprocess": ("重新处理", "Reprocess"), "download": ("下载原件", "Download original"),
    "attach": ("归入案件", "Attach to case"), "new_case": ("新建案件", "Open a new case"),
    "cover_sheet": ("打印封面页", "Print cover sheet"), "parcel": ("登记来件快递", "Record inbound parcel"),
    "waybill": ("运单号", "Waybill"), "dispatch": ("回寄证件", "Return the passport"),
    "save": ("保存", "Save"), "send": ("提交", "Submit"),
    "language": ("English", "中文"), "backlog": ("积压", "Backlog"),
    "near_deadline": ("临近或超过期限", "Near or past the deadline"),
    "intake_per_day": ("每日受理（按渠道）", "Intake per day by channel"),
    "quarantined": ("隔离文件", "Quarantined"), "flow_runs": ("流程运行（Prefect）", "Flow runs (Prefect)"),
    "status_page": ("办理进度查询", "Application status"),
    "passport_number": ("护照号码", "Passport number"),
    "not_found": ("未找到：请核对案件编号和护照号码。",
                  "Not found: check the case reference and passport number."),
    "tracking": ("回寄运单号", "Return tracking number"),
    "too_many": ("查询过于频繁，请稍后再试。", "Too many queries: try again later."),
    "pages": ("页面", "Pages"), "page_tools": ("页面工具", "Page tools"),
    "prev_page": ("上一页", "Previous page"), "next_page": ("下一页", "Next page"),
    "zoom_in": ("放大", "Zoom in"), "zoom_out": ("缩小", "Zoom out"), "rotate": ("旋转", "Rotate"),
    "fit": ("还原", "Fit"), "page": ("页", "page"), "no_pages": ("没有页面图像", "No page images"),
    "situation": ("案件概况", "Where this case stands"),
    "why_here": ("为何在此", "Why it is here"), "no_flags": ("没有待处理的提示。", "Nothing flagged."),
    "missing_materials": ("缺少材料", "Missing"), "waived_materials": ("承诺后补", "Waived"),
    "promised_by": ("承诺于", "promised by"), "provisional": ("暂定", "provisional"),
    "no_deadline_yet": ("材料齐全后计算", "set once the materials are complete"),
    "days_left_words": ("还剩 N 个工作日", "N working days left"),
    "due_today": ("今天到期", "due today"), "overdue_by": ("已逾期 N 个工作日", "N working days overdue"),
    "four_eyes": ("双人审批", "Four eyes"), "held_by": ("审批人", "Held by"),
    "next_step": ("下一步", "Next"),
    "next_claim": ("领取本案，核对材料和识别信息后作出决定。",
                   "Claim the case, check the fields against the pages, then decide."),
    "next_decide": ("逐项核对识别信息（j/k 切换，c 确认），然后批准、不予批准或一次性告知补正。",
                    "Check each field (j/k to move, c to confirm), then approve, reject or request "
                    "materials."),
    "next_wait_materials": ("等待申请人补正材料；材料到达后系统会重新审核。",
                            "Waiting for the applicant's materials; they are checked again when "
                            "they arrive."),
    "next_dispatch": ("已作出决定：登记回寄运单，寄还护照。",
                      "Decided: record the return waybill and send the passport back."),
    "next_returning": ("护照回寄中，签收后自动办结。",
                       "The passport is on its way back; the case closes on delivery."),
    "next_other_reviewer": ("本案由其他审批人处理中。", "Another reviewer is working on this case."),
    "next_second_approval": ("等待另一位审批人第二次批准。", "Waiting for a second, different reviewer."),
    "next_nothing": ("本案无需您操作。", "Nothing for you to do on this case."),
    "keys_hint": ("键盘：j/k 上下移动字段，c 确认，e 更正，n/p 翻页，+/- 缩放，r 旋转。",
                  "Keys: j/k move between fields, c confirm, e correct, n/p pages, +/- zoom, "
                  "r rotate."),
    "confirm": ("确认", "Confirm"), "machine_read": ("机器识别", "machine-read"),
    "mrz": ("护照机读码", "Passport MRZ"),
    "granted": ("已签发证件（到期前提醒持证人）", "Granted (the holder is reminded before it expires)"),
    "grant_number": ("证件号码", "Number"), "valid_from": ("有效期自", "Valid from"),
    "valid_until": ("有效期至", "Valid until"), "record": ("登记", "Record"),
    "recognise_urgency": ("认定为紧急事务", "Recognise as an emergency"),
    "urgency_reason": ("认定理由", "Why it is urgent"),
    "mrz_unverified": ("护照机读码（未核验，请与原件核对）",
                       "Passport MRZ (not verified: compare with the page)"),
    "carrier": ("快递公司", "Courier"), "office_default": ("默认", "office default"),
    "find_cases": ("查找案件", "Find cases"), "search": ("搜索", "Search"),
    "search_hint": ("编号、姓名或护照号码", "reference, name or passport number"),
    "group": ("审批组", "Group"), "deadline": ("期限", "Deadline"), "flag": ("提示", "Flag"),
    "any": ("全部", "any"), "apply": ("筛选", "Apply"), "clear": ("清除", "Clear"),
    "deadline_overdue": ("已逾期", "overdue"), "deadline_today": ("今天到期", "due today"),
    "deadline_week": ("一周内到期", "due this week"),
    "previous": ("上一页", "Previous"), "next": ("下一页", "Next"),
    "deadlines": ("期限", "Deadlines"), "intake_problems": ("受理异常", "Intake problems"),
    "failed": ("处理失败", "Failed"), "total": ("合计", "Total"),
    "age_day": ("1天内", "< 1 day"), "age_days": ("1–3天", "1–3 days"),
    "age_week": ("3–7天", "3–7 days"), "age_older": ("超过7天", "> 7 days"),
    "channel_scan": ("邮寄扫描", "post (scans)"), "channel_email": ("电子邮件", "e-mail"),
    "channel_upload": ("上传", "upload"),
    "letters_by_post": ("邮寄信件", "Letters by post"), "day": ("日期", "Day"),
    "print_letters": ("打印当日信件（PDF）", "Print the day's letters (PDF)"),
    "letter_to_print": ("待打印", "to print"), "letter_sent": ("已打印寄出", "printed"),
    "original_arrived": ("原件已收到", "original here"),
    "original_awaited": ("原件未到", "original not here yet"),
    "none": ("无", "none"), "forbidden": ("您的角色无权进行此操作。", "Your role does not allow this."),
}


STATUSES: dict[str, tuple[str, str]] = {
    "received": ("已收件", "received"), "validating": ("审核材料中", "validating"),
    "needs_materials": ("待补正材料", "needs materials"),
    "ready_for_review": ("待审批", "ready for review"), "in_review": ("审批中", "in review"),
    "approved": ("已批准", "approved"), "rejected": ("不予批准", "rejected"),
    "returning": ("证件回寄中", "returning"), "closed": ("已办结", "closed"),
    "withdrawn": ("已撤回", "withdrawn"),
    "processed": ("已处理", "processed"),
    "provided": ("已提交", "provided"), "waived": ("承诺后补", "waived"),
    "on_file": ("系统已存档", "on file"), "missing": ("缺少", "missing"),
}


def translate(key: str, language: str) -> str:
    """The word for ``key`` (an interface word, a status, a checklist state or a material)."""
    from notices.materials import MATERIAL_NAMES

    pair = WORDS.get(key) or STATUSES.get(key) or MATERIAL_NAMES.get(key)
    if pair is None:
        return key
    return pair[0] if language == "zh" else pair[1]
