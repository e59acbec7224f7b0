<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AddChildDialog</name>
    <message>
        <source>登记下级单位</source>
        <translation>Register a child office</translation>
    </message>
    <message>
        <source>乡镇（街道）</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>乡镇9位、村12位区划代码</source>
        <translation>Division code: township 9 digits, village 12</translation>
    </message>
    <message>
        <source>如：罗翠村计生协</source>
        <translation>e.g. Luocui Village FPA</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>区划代码</source>
        <translation>Division code</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Office name</translation>
    </message>
    <message>
        <source>邀请文件保存到</source>
        <translation>Save the invitation in</translation>
    </message>
    <message>
        <source>生成邀请</source>
        <translation>Create invitation</translation>
    </message>
    <message>
        <source>邀请文件：{0}
请把邀请文件交给{1}，配对码请电话告知或当面交给对方（只能使用一次）。对方设置好后交来的第一个数据包导入后，配对即完成。</source>
        <translation>Invitation: {0}
Give the invitation file to {1}; read the pairing code out by phone or hand it over in person (it works once). Pairing is complete when their first package has been imported here.</translation>
    </message>
</context>
<context>
    <name>AddDivisionDialog</name>
    <message>
        <source>添加机关单位</source>
        <translation>Add an agency unit</translation>
    </message>
    <message>
        <source>添加村（社区）</source>
        <translation>Add a village (community)</translation>
    </message>
    <message>
        <source>机关单位（县直）</source>
        <translation>Agency units (county level)</translation>
    </message>
    <message>
        <source>村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>社区</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>知道统计用区划代码就填上，不知道可以空着</source>
        <translation>Fill in the statistical code if you know it; leave it empty if not</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>上级</source>
        <translation>Parent</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>区划代码</source>
        <translation>Division code</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <source>添加用户</source>
        <translation>Add user</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords differ.</translation>
    </message>
</context>
<context>
    <name>AddVillagesDialog</name>
    <message>
        <source>添加本乡镇的村（社区）</source>
        <translation>Add this township&apos;s villages (communities)</translation>
    </message>
    <message>
        <source>花名册中的这些村（社区）本乡镇还没有。写错了的请改正花名册；确实是本乡镇的，勾选后添加，然后重新检查。</source>
        <translation>The roster names these villages (communities), which this township does not have yet. Correct the roster where a name is mistyped; tick the ones that really are villages of this township to add them, then check again.</translation>
    </message>
    <message>
        <source>名称（勾选即添加）</source>
        <translation>Name (ticked: added)</translation>
    </message>
    <message>
        <source>花名册中的行</source>
        <translation>Rows in the roster</translation>
    </message>
    <message>
        <source>相近的已有村</source>
        <translation>Nearest known villages</translation>
    </message>
    <message>
        <source>添加勾选的村</source>
        <translation>Add the ticked villages</translation>
    </message>
</context>
<context>
    <name>AllocationDialog</name>
    <message>
        <source>登记拨款</source>
        <translation>Record allocation</translation>
    </message>
    <message>
        <source>政府投保</source>
        <translation>Government-paid</translation>
    </message>
    <message>
        <source>单位投保</source>
        <translation>Employer-paid</translation>
    </message>
    <message>
        <source>按险种、年度和范围</source>
        <translation>By product, year and scope</translation>
    </message>
    <message>
        <source>拨款凭证号或文号</source>
        <translation>Voucher or document number</translation>
    </message>
    <message>
        <source>如：城关乡财政所</source>
        <translation>e.g. Chengguan finance office</translation>
    </message>
    <message>
        <source>凭证金额（元），留空为应拨金额</source>
        <translation>Voucher amount (yuan); empty = what is owed</translation>
    </message>
    <message>
        <source>出资方</source>
        <translation>Payer</translation>
    </message>
    <message>
        <source>上报名册</source>
        <translation>Hand up roster</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>保险年度</source>
        <translation>Policy year</translation>
    </message>
    <message>
        <source>范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>凭证号</source>
        <translation>Voucher no.</translation>
    </message>
    <message>
        <source>拨款单位</source>
        <translation>Paid by</translation>
    </message>
    <message>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>拨款日期</source>
        <translation>Allocation date</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
</context>
<context>
    <name>BackgroundOp</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
</context>
<context>
    <name>ClaimsScreen</name>
    <message>
        <source>姓名、理赔编号或报案号</source>
        <translation>Name, claim no. or report no.</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>未办结</source>
        <translation>Still open</translation>
    </message>
    <message>
        <source>全部类别</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <source>全部区划</source>
        <translation>All divisions</translation>
    </message>
    <message>
        <source>只看绿色通道</source>
        <translation>Green channel only</translation>
    </message>
    <message>
        <source>出险登记…</source>
        <translation>Register an incident…</translation>
    </message>
    <message>
        <source>理赔编号</source>
        <translation>Claim no.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>出险日期</source>
        <translation>Incident date</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>申请金额</source>
        <translation>Claimed</translation>
    </message>
    <message>
        <source>已赔金额</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>绿色通道</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <source>请在左侧选择一件理赔。</source>
        <translation>Choose a claim on the left.</translation>
    </message>
    <message>
        <source>上门服务</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <source>保存资料清单</source>
        <translation>Save the document checklist</translation>
    </message>
    <message>
        <source>报案…</source>
        <translation>Report…</translation>
    </message>
    <message>
        <source>资料齐全</source>
        <translation>Documents complete</translation>
    </message>
    <message>
        <source>提交保险公司</source>
        <translation>Submit to the insurer</translation>
    </message>
    <message>
        <source>登记赔付…</source>
        <translation>Record payment…</translation>
    </message>
    <message>
        <source>拒赔…</source>
        <translation>Decline…</translation>
    </message>
    <message>
        <source>办结</source>
        <translation>Close the claim</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Done by</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>理赔资料</source>
        <translation>Claim documents</translation>
    </message>
    <message>
        <source>保障额度</source>
        <translation>Cover limit</translation>
    </message>
    <message>
        <source>办理进度</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>尚未报案</source>
        <translation>not yet reported</translation>
    </message>
    <message>
        <source>险种：%1（%2年度）</source>
        <translation>Product: %1 (policy year %2)</translation>
    </message>
    <message>
        <source>类别：%1&#x3000;出险日期：%2&#x3000;报案：%3</source>
        <translation>Kind: %1  Incident: %2  Report: %3</translation>
    </message>
    <message>
        <source>状态：%1&#x3000;申请金额：%2&#x3000;已赔金额：%3</source>
        <translation>Status: %1  Claimed: %2  Paid: %3</translation>
    </message>
    <message>
        <source>住院 %1 天，本次可赔 %2 天</source>
        <translation>%1 days in hospital, %2 days payable</translation>
    </message>
    <message>
        <source>拒赔原因：%1</source>
        <translation>Reason for refusal: %1</translation>
    </message>
    <message>
        <source>（本类别不占用保险金额）</source>
        <translation>(this kind draws on no sum insured)</translation>
    </message>
    <message>
        <source>住院护理天数：本保险年度已用 %1 天，剩余 %2 天（每年最多 %3 天）</source>
        <translation>Hospital-care days: %1 used this policy year, %2 left (at most %3 a year)</translation>
    </message>
    <message>
        <source>家庭共享医疗保额</source>
        <translation>Family&apos;s shared medical pool</translation>
    </message>
    <message>
        <source>本人保险金额</source>
        <translation>Person&apos;s sum insured</translation>
    </message>
    <message>
        <source>%1 %2：已赔 %3，在办 %4，剩余 %5</source>
        <translation>%1 %2: paid %3, open claims %4, left %5</translation>
    </message>
    <message>
        <source>已登记理赔 %1。</source>
        <translation>Claim %1 registered.</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village</translation>
    </message>
</context>
<context>
    <name>ConfirmRosterDialog</name>
    <message>
        <source>录入承保</source>
        <translation>Enter confirmation</translation>
    </message>
    <message>
        <source>保险公司未承保的人：每行一个身份证号码，可在后面空一格写原因</source>
        <translation>People the insurer did not accept: one ID number a line, optionally a space and the reason</translation>
    </message>
    <message>
        <source>上报名册</source>
        <translation>Hand up roster</translation>
    </message>
    <message>
        <source>团单号</source>
        <translation>Group policy no.</translation>
    </message>
    <message>
        <source>承保日期</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <source>未承保的人</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <source>没有等待录入承保的上报名册。</source>
        <translation>No handed-up roster awaits confirmation.</translation>
    </message>
    <message>
        <source>名册 %1：%2 户，保费 %3，%4 上报。</source>
        <translation>Roster %1: %2 households, premium %3, handed up %4.</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>处理冲突</source>
        <translation>Resolve conflict</translation>
    </message>
    <message>
        <source>同一条记录的同一字段在两个单位都被修改了。请选择保留哪个值，或直接填写正确的值。
本单位一方：{0}（{1}，{2}）；对方：{3}（{4}，{5}）。</source>
        <translation>The same field of this record was changed at two offices. Choose the value to keep, or type the correct one.
Ours: {0} ({1}, {2}); theirs: {3} ({4}, {5}).</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>原值</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>本单位</source>
        <translation>Ours</translation>
    </message>
    <message>
        <source>对方</source>
        <translation>Theirs</translation>
    </message>
    <message>
        <source>采用</source>
        <translation>Take</translation>
    </message>
    <message>
        <source>确定处理</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <source>{0}：“{1}”不是可选的值，请从列表中选择或照列表填写。</source>
        <translation>{0}: &apos;{1}&apos; is not one of the values; pick one from the list or type it as the list shows it.</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>个人信息同意：{0}</source>
        <translation>Consent to personal information: {0}</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>同意情况</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>登记同意…</source>
        <translation>Record consent…</translation>
    </message>
    <message>
        <source>撤回同意…</source>
        <translation>Withdraw consent…</translation>
    </message>
    <message>
        <source>按《个人信息保护法》，登记、保存和上报个人信息需本人同意；不满14周岁的，由父母或其他监护人同意。请依据签字的同意书登记。</source>
        <translation>Under the Personal Information Protection Law, registering, keeping and reporting a person&apos;s information needs their consent; for a child under 14, a parent&apos;s or other guardian&apos;s. Record it from the signed consent form.</translation>
    </message>
    <message>
        <source>未登记（需监护人同意）</source>
        <translation>Not recorded (a guardian must consent)</translation>
    </message>
    <message>
        <source>未登记</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <source>{0} 由监护人{1}同意</source>
        <translation>{0}, given by guardian {1}</translation>
    </message>
    <message>
        <source>{0} 本人同意</source>
        <translation>{0}, given in person</translation>
    </message>
    <message>
        <source>不能登记</source>
        <translation>Cannot record</translation>
    </message>
    <message>
        <source>撤回同意</source>
        <translation>Withdraw consent</translation>
    </message>
    <message>
        <source>{0}撤回对个人信息处理的同意？记录会保留。</source>
        <translation>Does {0} withdraw consent to the processing of their information? The record is kept.</translation>
    </message>
</context>
<context>
    <name>ConsentForm</name>
    <message>
        <source>登记同意：{0}</source>
        <translation>Record consent: {0}</translation>
    </message>
    <message>
        <source>由监护人代为同意（不满14周岁必须）</source>
        <translation>Given by a guardian (required under 14)</translation>
    </message>
    <message>
        <source>书面签字</source>
        <translation>Signed form</translation>
    </message>
    <message>
        <source>口头</source>
        <translation>Verbal</translation>
    </message>
    <message>
        <source>电子</source>
        <translation>Electronic</translation>
    </message>
    <message>
        <source>同意人</source>
        <translation>Consent given by</translation>
    </message>
    <message>
        <source>同意日期</source>
        <translation>Date of consent</translation>
    </message>
    <message>
        <source>方式</source>
        <translation>Form</translation>
    </message>
</context>
<context>
    <name>DeclineDialog</name>
    <message>
        <source>登记拒赔</source>
        <translation>Record a refusal</translation>
    </message>
    <message>
        <source>拒赔原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
</context>
<context>
    <name>DivisionsDialog</name>
    <message>
        <source>行政区划</source>
        <translation>Divisions</translation>
    </message>
    <message>
        <source>本县的乡镇、村（社区）和机关单位。有电脑的单位标“有”；没有电脑的村同样可以导入花名册、统计进度和打印。</source>
        <translation>The county&apos;s townships, villages (communities) and agency units. Offices with a computer are marked &apos;yes&apos;; villages without one are imported, counted and printed for all the same.</translation>
    </message>
    <message>
        <source>按名称或代码筛选</source>
        <translation>Filter by name or code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>区划代码</source>
        <translation>Division code</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>有电脑的单位</source>
        <translation>Office with a computer</translation>
    </message>
    <message>
        <source>导入区划名单…</source>
        <translation>Import the division list…</translation>
    </message>
    <message>
        <source>添加村（社区）…</source>
        <translation>Add a village (community)…</translation>
    </message>
    <message>
        <source>添加机关单位…</source>
        <translation>Add an agency unit…</translation>
    </message>
    <message>
        <source>有</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>选择区划名单</source>
        <translation>Choose the division list</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>已导入“{0}”：新增 {1}，更名 {2}，未变 {3}，不属于本单位而跳过 {4}。</source>
        <translation>Imported &apos;{0}&apos;: {1} new, {2} renamed, {3} unchanged, {4} skipped as outside this office.</translation>
    </message>
</context>
<context>
    <name>EnrollmentScreen</name>
    <message>
        <source>输入户主或家庭成员的姓名、拼音首字母、身份证号，回车选户</source>
        <translation>Type a member&apos;s name, pinyin initials or ID number; Enter picks the household</translation>
    </message>
    <message>
        <source>参保</source>
        <translation>Insure</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>资格</source>
        <translation>Eligibility</translation>
    </message>
    <message>
        <source>保额</source>
        <translation>Sum insured</translation>
    </message>
    <message>
        <source>同意参保的人（未满14周岁由监护人）</source>
        <translation>Who consented (a guardian for a child under 14)</translation>
    </message>
    <message>
        <source>参保登记</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>保险年度</source>
        <translation>Policy year</translation>
    </message>
    <message>
        <source>同意人</source>
        <translation>Consent by</translation>
    </message>
    <message>
        <source>请先选户。</source>
        <translation>Pick a household first.</translation>
    </message>
    <message>
        <source>符合</source>
        <translation>Eligible</translation>
    </message>
    <message>
        <source>本期已参保</source>
        <translation>Insured this period</translation>
    </message>
    <message>
        <source>本户已有 {0} 人参加本期“{1}”。</source>
        <translation>{0} member(s) of this household are insured this period in &apos;{1}&apos;.</translation>
    </message>
    <message>
        <source>没有选中参保人。</source>
        <translation>Nobody is selected.</translation>
    </message>
    <message>
        <source>各级承担：{0}（家庭缴 {1}，其余待各级拨款）</source>
        <translation>Paid by each level: {0} (the family pays {1}; the rest awaits each level&apos;s allocation)</translation>
    </message>
    <message>
        <source>{0}：登记后待拨款，不开收据给家庭。</source>
        <translation>{0}: awaits an allocation once registered; no receipt is made out to the family.</translation>
    </message>
    <message>
        <source>{0}/天，每年最多{1}天</source>
        <translation>{0}/day, at most {1} days a year</translation>
    </message>
    <message>
        <source>{0}（全家{1}人共享）</source>
        <translation>{0} (family pool for {1})</translation>
    </message>
    <message>
        <source>正在参保…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <source>收据 {0}</source>
        <translation>Receipt {0}</translation>
    </message>
    <message>
        <source>已登记：{0} 人，保费 {1}。</source>
        <translation>Enrolled: {0} persons, premium {1}.</translation>
    </message>
    <message>
        <source>收据号 {0}。</source>
        <translation> Receipt no. {0}.</translation>
    </message>
    <message>
        <source>{0}：待拨款，拨款到位后可打印参保凭证。</source>
        <translation>{0}: awaiting the allocation; the certificate can be printed once the money arrives.</translation>
    </message>
    <message>
        <source>个人条件符合（本户暂不能参保，见下方）</source>
        <translation>Meets the personal conditions (the household cannot enroll now; see below)</translation>
    </message>
    <message>
        <source>缴费次日零时起一年（今天缴费为 {0} 至 {1}）</source>
        <translation>one year from 00:00 the day after payment ({0} to {1} if paid today)</translation>
    </message>
    <message>
        <source>{0} 零时至 {1} 二十四时</source>
        <translation>{0} 00:00 to {1} 24:00</translation>
    </message>
    <message>
        <source>保费 {0}，缴费方式：{1}，保障期间：{2}</source>
        <translation>Premium {0}, paid by: {1}, cover: {2}</translation>
    </message>
    <message>
        <source>本户现在不能参保：</source>
        <translation>This household cannot enroll now:</translation>
    </message>
    <message>
        <source>登记、收费并出单 (Ctrl+Enter)</source>
        <translation>Enroll, collect and print (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>登记本户参保，收取保费，打印收据和参保凭证</source>
        <translation>Enroll this household, take the premium, print the receipt and the certificate</translation>
    </message>
    <message>
        <source>再次出单</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>本户刚才的收据和参保凭证再出一次</source>
        <translation>The receipt and certificate just issued to this household, once more</translation>
    </message>
    <message>
        <source>正在生成打印文件</source>
        <translation>Generating the print file</translation>
    </message>
    <message>
        <source>收据 {0} {1}.pdf</source>
        <translation>Receipt {0} {1}.pdf</translation>
    </message>
    <message>
        <source>参保凭证 {0} {1}.pdf</source>
        <translation>Certificate {0} {1}.pdf</translation>
    </message>
    <message>
        <source>参保凭证 {0}</source>
        <translation>Certificate {0}</translation>
    </message>
    <message>
        <source>不能出单</source>
        <translation>Cannot print</translation>
    </message>
    <message>
        <source>已登记参保，但收据或凭证没有做成：{0}</source>
        <translation>Enrolled, but the receipt or certificate was not made: {0}</translation>
    </message>
    <message>
        <source>正在出单…</source>
        <translation>Printing the papers…</translation>
    </message>
    <message>
        <source>没有出单：可在“收费与打印”页补打。</source>
        <translation>Nothing printed: print it later under Payments and printing.</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>程序出错</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>刚才的操作没有完成：程序遇到了一个意外的问题。
请再试一次。如果还是这样，请把日志文件发给为您维护本程序的人，并说明当时在做什么。</source>
        <translation>The last action did not finish: the program ran into an unexpected problem.
Please try again. If it happens again, send the log file to whoever looks after this program for you, and say what you were doing.</translation>
    </message>
    <message>
        <source>日志文件：%1</source>
        <translation>Log file: %1</translation>
    </message>
    <message>
        <source>日志文件夹不能写入，这次没有日志：请复制下面的详细信息发送。</source>
        <translation>The log folder cannot be written, so there is no log this time: copy the details below and send them.</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>复制详细信息</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>打开日志所在文件夹</source>
        <translation>Open the log&apos;s folder</translation>
    </message>
    <message>
        <source>已复制</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>ExchangeScreen</name>
    <message>
        <source>县</source>
        <translation>County</translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>村</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>已注销</source>
        <translation>Revoked</translation>
    </message>
    <message>
        <source>已邀请，待加入</source>
        <translation>Invited, not yet joined</translation>
    </message>
    <message>
        <source>家庭户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>参保</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>缴费</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>上级</source>
        <translation>Parent</translation>
    </message>
    <message>
        <source>下级</source>
        <translation>Child</translation>
    </message>
    <message>
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <source>数据交换</source>
        <translation>Data exchange</translation>
    </message>
    <message>
        <source>单位代码</source>
        <translation>Office code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>关系</source>
        <translation>Relation</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>最近导出</source>
        <translation>Last export</translation>
    </message>
    <message>
        <source>最近导入</source>
        <translation>Last import</translation>
    </message>
    <message>
        <source>导出数据包…</source>
        <translation>Export package…</translation>
    </message>
    <message>
        <source>导入数据包…</source>
        <translation>Import package…</translation>
    </message>
    <message>
        <source>登记下级单位…</source>
        <translation>Register a child office…</translation>
    </message>
    <message>
        <source>注销所选单位的设备…</source>
        <translation>Revoke the selected office&apos;s device…</translation>
    </message>
    <message>
        <source>产品定义目录…</source>
        <translation>Product definitions folder…</translation>
    </message>
    <message>
        <source>选择本县的定义目录…</source>
        <translation>Choose this county&apos;s definitions folder…</translation>
    </message>
    <message>
        <source>改回本程序自带的定义</source>
        <translation>Back to the program&apos;s own definitions</translation>
    </message>
    <message>
        <source>行政区划…</source>
        <translation>Divisions…</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>本单位一方</source>
        <translation>Ours</translation>
    </message>
    <message>
        <source>对方</source>
        <translation>Theirs</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>人员甲</source>
        <translation>Person A</translation>
    </message>
    <message>
        <source>人员乙</source>
        <translation>Person B</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>处理所选冲突…</source>
        <translation>Resolve selected conflict…</translation>
    </message>
    <message>
        <source>不是同一人</source>
        <translation>Not the same person</translation>
    </message>
    <message>
        <source>合并为一人</source>
        <translation>Merge into one</translation>
    </message>
    <message>
        <source>冲突（两个单位改了同一字段）</source>
        <translation>Conflicts (the same field changed at two offices)</translation>
    </message>
    <message>
        <source>疑似重复人员</source>
        <translation>Suspected duplicates</translation>
    </message>
    <message>
        <source>另有 {0} 个已停办的险种，仅保留给已有的参保记录。</source>
        <translation> Also {0} withdrawn product(s), kept only for the enrollments already made.</translation>
    </message>
    <message>
        <source>产品定义：本县的定义目录 {0}（{1} 个险种），每次向下级导出时一并下发。</source>
        <translation>Product definitions: this county&apos;s folder {0} ({1} products), sent down with every export to offices below.</translation>
    </message>
    <message>
        <source>产品定义：本程序自带的定义（{0} 个险种），每次向下级导出时一并下发。</source>
        <translation>Product definitions: the program&apos;s own ({0} products), sent down with every export to offices below.</translation>
    </message>
    <message>
        <source>产品定义：按县级下发的定义办理（{0} 个险种）。</source>
        <translation>Product definitions: as published by the county ({0} products).</translation>
    </message>
    <message>
        <source>产品定义：新的定义不能使用，仍按原有定义办理（{0} 个险种）。原因：{1}</source>
        <translation>Product definitions: the new ones cannot be used; the earlier ones still apply ({0} products). Reason: {1}</translation>
    </message>
    <message>
        <source>产品定义：本程序自带（尚未收到县级下发的定义）。</source>
        <translation>Product definitions: the program&apos;s own (none received from the county yet).</translation>
    </message>
    <message>
        <source>本机还没有设置单位。</source>
        <translation>This installation has no office yet.</translation>
    </message>
    <message>
        <source>对方导入 {0}：新增 {1}，更新 {2}，未变 {3}，冲突 {4}，疑似重复 {5}，暂缓 {6}，拒收 {7}</source>
        <translation>They imported {0}: {1} new, {2} updated, {3} unchanged, {4} conflicts, {5} suspected duplicates, {6} held, {7} rejected</translation>
    </message>
    <message>
        <source>本机：{0}（{1}）。数据包按单位代码命名，内容加密并签名，只有收件单位能读。</source>
        <translation>This office: {0} ({1}). Packages are named by office codes; their content is encrypted and signed, readable only by the receiving office.</translation>
    </message>
    <message>
        <source>还没有配对的上级单位：请向乡镇计生办索取邀请文件和配对码。</source>
        <translation>No parent office paired yet: ask the township office for an invitation file and its pairing code.</translation>
    </message>
    <message>
        <source>还没有配对的单位：点“登记下级单位…”为下级单位生成邀请文件和配对码。</source>
        <translation>No office paired yet: use &apos;Register a child office…&apos; to make an invitation file and pairing code for an office below.</translation>
    </message>
    <message>
        <source>同一身份证号</source>
        <translation>Same ID number</translation>
    </message>
    <message>
        <source>姓名、生日、户主相同</source>
        <translation>Same name, birth date and household head</translation>
    </message>
    <message>
        <source>已导出：{0}（{1:.1f} KB）</source>
        <translation>Exported: {0} ({1:.1f} KB)</translation>
    </message>
    <message>
        <source>已导入 {0}：新增 {1}，更新 {2}，冲突 {3}，疑似重复 {4}。</source>
        <translation>Imported {0}: {1} new, {2} updated, {3} conflicts, {4} suspected duplicates.</translation>
    </message>
    <message>
        <source>已撤销导入 {0}，数据库已恢复到导入前。</source>
        <translation>Import of {0} undone: the database is back as it was before it.</translation>
    </message>
    <message>
        <source>请先在上表中选择一个有效的下级单位。</source>
        <translation>Select an active child office in the table first.</translation>
    </message>
    <message>
        <source>注销{0}（{1}）的设备 {2}？此后它交来的数据包将被拒收，已收到的修改仍然有效。</source>
        <translation>Revoke device {2} of {0} ({1})? Its packages will be refused from now on; changes already received stay valid.</translation>
    </message>
    <message>
        <source>已注销。注销信息会随下一个数据包发给上级和下级单位。</source>
        <translation>Revoked. The revocation travels to the parent and child offices with the next packages.</translation>
    </message>
    <message>
        <source>选择产品定义目录（内有 products 和 enrollment）</source>
        <translation>Choose the product definitions folder (with products and enrollment in it)</translation>
    </message>
    <message>
        <source>产品定义目录已改为 {0}，下次向下级导出时一并下发。</source>
        <translation>The product definitions folder is now {0}; it goes down with the next export to offices below.</translation>
    </message>
    <message>
        <source>请先选择一条疑似重复记录。</source>
        <translation>Select a suspected duplicate first.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>导出数据包</source>
        <translation>Export package</translation>
    </message>
    <message>
        <source>数据包只写到这里选的文件夹（如U盘），文件名只含单位代码和序号，内容已加密。</source>
        <translation>The package is written only to the folder chosen here (a USB stick, say); its name holds office codes and a number only, its content is encrypted.</translation>
    </message>
    <message>
        <source>发给</source>
        <translation>To</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>选择保存数据包的文件夹</source>
        <translation>Choose the folder for the package</translation>
    </message>
    <message>
        <source>请选择接收单位和一个已存在的文件夹。</source>
        <translation>Choose the receiving office and an existing folder.</translation>
    </message>
    <message>
        <source>正在导出数据包</source>
        <translation>Exporting the package</translation>
    </message>
    <message>
        <source>已写入 {0}
{1} 条修改，{2:.1f} KB。可以拔出U盘了。</source>
        <translation>Written: {0}
{1} changes, {2:.1f} KB. The USB stick can be removed.</translation>
    </message>
</context>
<context>
    <name>Failures</name>
    <message>
        <source>不能执行</source>
        <translation>Not allowed</translation>
    </message>
</context>
<context>
    <name>FieldValues</name>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>备用电话</source>
        <translation>Second phone</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>家庭类别</source>
        <translation>Household categories</translation>
    </message>
    <message>
        <source>独生子女证号</source>
        <translation>Only-child certificate no.</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>农村户口</source>
        <translation>Rural household registration</translation>
    </message>
    <message>
        <source>奖励扶助对象</source>
        <translation>Reward and assistance recipient</translation>
    </message>
    <message>
        <source>状态日期</source>
        <translation>Status date</translation>
    </message>
    <message>
        <source>所在家庭户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>设置管理员</source>
        <translation>Set up the administrator</translation>
    </message>
    <message>
        <source>暂不设置</source>
        <translation>Not now</translation>
    </message>
    <message>
        <source>数据库里有身份证号、电话等个人信息。请设置管理员账户：以后每次打开都要登录，管理员可以添加录入员、审核员等其他用户。</source>
        <translation>The database holds personal information such as ID and phone numbers. Set up an administrator account: from now on everyone logs in, and the administrator can add data-entry, reviewer and other users.</translation>
    </message>
    <message>
        <source>登录用的名字，如 admin 或 zhangsan</source>
        <translation>the name to log in with, e.g. admin or zhangsan</translation>
    </message>
    <message>
        <source>至少8位</source>
        <translation>at least 8 characters</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>这是恢复码。所有管理员都忘记密码时，用它重置密码。请抄写或打印后锁好，它只显示这一次。</source>
        <translation>This is the recovery code. If every administrator forgets the password, it resets one. Write it down or print it and lock it away: it is shown only this once.</translation>
    </message>
    <message>
        <source>我已抄下（或打印）恢复码</source>
        <translation>I have written down (or printed) the recovery code</translation>
    </message>
    <message>
        <source>数据库已加密：电脑丢失时，没有密码或恢复码的人读不出其中的个人信息。</source>
        <translation>The database is encrypted: if the computer is lost, nobody without a password or the recovery code can read the personal information in it.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords differ.</translation>
    </message>
</context>
<context>
    <name>FirstStepsDialog</name>
    <message>
        <source>开始使用：三步</source>
        <translation>Getting started: three steps</translation>
    </message>
    <message>
        <source>欢迎！本机单位：{0}。做好下面三步，就可以开始工作了。</source>
        <translation>Welcome! This office: {0}. These three steps get it working.</translation>
    </message>
    <message>
        <source>打开用户手册 (F1)</source>
        <translation>Open the user guide (F1)</translation>
    </message>
    <message>
        <source>下次启动不再显示（可在“帮助”菜单再打开）</source>
        <translation>Do not show again (Help opens it any time)</translation>
    </message>
    <message>
        <source>核对险种：在“数据交换”里看本县使用的险种定义（产品定义目录）。</source>
        <translation>Check the products: Data exchange shows the product definitions the county works with (its definitions folder).</translation>
    </message>
    <message>
        <source>数据交换</source>
        <translation>Data exchange</translation>
    </message>
    <message>
        <source>登记下级单位：为每个乡镇生成邀请文件和配对码，交给乡镇。</source>
        <translation>Register the offices below: make an invitation and a pairing code for each township and hand them over.</translation>
    </message>
    <message>
        <source>下达任务数：在“进度统计”的任务表里填写或导入各乡镇的任务数。</source>
        <translation>Set the targets: type or import each township&apos;s targets in the target table under Progress.</translation>
    </message>
    <message>
        <source>进度统计</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>与县里配对：用县里给的邀请文件加入，再登记本乡镇的各个村。</source>
        <translation>Pair with the county: join with the county&apos;s invitation, then register the township&apos;s villages.</translation>
    </message>
    <message>
        <source>收齐户籍：导入村里交来的数据包，或导入户籍名册（Excel）。</source>
        <translation>Gather the households: import the villages&apos; packages, or import a household roster (Excel).</translation>
    </message>
    <message>
        <source>导入名册…</source>
        <translation>Import roster…</translation>
    </message>
    <message>
        <source>参保、收费、打印：核对参保名单，打印参保凭证和花名册。</source>
        <translation>Enrollment, payments, printing: check who is enrolled, print certificates and rosters.</translation>
    </message>
    <message>
        <source>收费与打印</source>
        <translation>Payments and printing</translation>
    </message>
    <message>
        <source>登记户籍：导入村里已有的户籍名册（Excel），或逐户新建家庭户（Ctrl+N）。</source>
        <translation>Register households: import the village&apos;s household roster (Excel), or add households one by one (Ctrl+N).</translation>
    </message>
    <message>
        <source>参保登记</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>参保登记：选户、勾选参保人、填写告知事项，按 Ctrl+Enter 登记、收费并出单。</source>
        <translation>Enroll: pick a household, tick who is insured, answer the product&apos;s questions, then Ctrl+Enter enrolls, collects and prints.</translation>
    </message>
    <message>
        <source>交给乡镇：用乡镇给的邀请文件加入，然后导出数据包（U盘或邮件）。</source>
        <translation>Send to the township: join with the township&apos;s invitation, then export a package (USB stick or e-mail).</translation>
    </message>
</context>
<context>
    <name>FormQuestions</name>
    <message>
        <source>文件中没有的登记表项目：请为每一项选择“全部填为…”</source>
        <translation>Form questions the file has no column for: choose &apos;Fill all with…&apos; for each</translation>
    </message>
    <message>
        <source>这些项目对本文件的每一行都一样。也可以在上面的表格中把文件里的某一列对应到这个项目。</source>
        <translation>Each answer applies to every row of the file. A column of the file may also be mapped to the question in the table above.</translation>
    </message>
    <message>
        <source>全部填为…</source>
        <translation>Fill all with…</translation>
    </message>
    <message>
        <source>全部填为…（请选择）</source>
        <translation>Fill all with… (choose)</translation>
    </message>
    <message>
        <source>全部填为“{0}”</source>
        <translation>Fill all with &apos;{0}&apos;</translation>
    </message>
    <message>
        <source>{0}（不填即为{1}）</source>
        <translation>{0} (blank means {1})</translation>
    </message>
</context>
<context>
    <name>FormRenderer</name>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>如 2026-03-17</source>
        <translation>e.g. 2026-03-17</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>用户手册</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>本手册的插图在打包时生成；从源代码运行时请先执行 python build/guide_screenshots.py。</source>
        <translation>The guide&apos;s pictures are made when the program is built; running from the source, run python build/guide_screenshots.py first.</translation>
    </message>
</context>
<context>
    <name>HandUpDialog</name>
    <message>
        <source>上报名册</source>
        <translation>Hand up roster</translation>
    </message>
    <message>
        <source>保险公司的团单号（不知道时可留空，承保时再填）</source>
        <translation>The insurer&apos;s group policy number (leave empty if not known yet; give it at confirmation)</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>保险年度</source>
        <translation>Policy year</translation>
    </message>
    <message>
        <source>名册范围</source>
        <translation>Roster of</translation>
    </message>
    <message>
        <source>团单号</source>
        <translation>Group policy no.</translation>
    </message>
    <message>
        <source>上报日期</source>
        <translation>Hand-up date</translation>
    </message>
    <message>
        <source>没有可以上报的参保记录。</source>
        <translation>Nothing to hand up.</translation>
    </message>
    <message>
        <source>将上报 %1 户 %2 人，保费 %3。</source>
        <translation>Will hand up %1 households, %2 persons, premium %3.</translation>
    </message>
    <message>
        <source>其中政府投保、单位投保待拨款 %1。</source>
        <translation> Of it, %1 of government-paid or employer-paid premiums awaits allocation.</translation>
    </message>
    <message>
        <source>自主投保未缴费 %1 户（%2）不上报，收费后再报。</source>
        <translation> %1 self-paid households (%2) not yet paid stay behind until they pay.</translation>
    </message>
    <message>
        <source>已上报过的 %1 户不再重复上报。</source>
        <translation> %1 households handed up before are not sent again.</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>新建</source>
        <translation>created</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>changed</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>deleted</translation>
    </message>
    <message>
        <source>处理冲突</source>
        <translation>conflict resolved</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>修改内容</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>修改历史：{0}</source>
        <translation>History: {0}</translation>
    </message>
    <message>
        <source>家庭户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>共 {0} 条修改记录（审计日志，防篡改哈希链）</source>
        <translation>{0} changes (audit log, tamper-evident hash chain)</translation>
    </message>
</context>
<context>
    <name>HouseholdEditor</name>
    <message>
        <source>新建家庭户</source>
        <translation>New household</translation>
    </message>
    <message>
        <source>修改家庭户</source>
        <translation>Edit household</translation>
    </message>
    <message>
        <source>家庭成员（第一行为户主）</source>
        <translation>Members (the first line is the head)</translation>
    </message>
    <message>
        <source>如：3组17号</source>
        <translation>e.g. Group 3, No. 17</translation>
    </message>
    <message>
        <source>独生子女证号（没有可不填）</source>
        <translation>Only-child certificate no. (leave empty if none)</translation>
    </message>
    <message>
        <source>农村户籍</source>
        <translation>Rural registration</translation>
    </message>
    <message>
        <source>领取独生子女父母奖励金</source>
        <translation>Receives the only-child parents&apos; reward</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>家庭类别</source>
        <translation>Categories</translation>
    </message>
    <message>
        <source>证件</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <source>周岁</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>添加成员 (Ctrl+N)</source>
        <translation>Add member (Ctrl+N)</translation>
    </message>
    <message>
        <source>保存 (Ctrl+S)</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>正在生成打印文件</source>
        <translation>Generating the print file</translation>
    </message>
    <message>
        <source>已死亡</source>
        <translation>Deceased</translation>
    </message>
    <message>
        <source>已迁出</source>
        <translation>Moved out</translation>
    </message>
    <message>
        <source>同一个身份证号在本户出现了两次。</source>
        <translation>The same ID number appears twice in this household.</translation>
    </message>
    <message>
        <source>请选择家庭类别（可多选）。</source>
        <translation>Choose the household&apos;s categories (several allowed).</translation>
    </message>
    <message>
        <source>请先在“系统设置”里添加村（社区）。</source>
        <translation>Add a village under Settings first.</translation>
    </message>
    <message>
        <source>保存并参保 (Ctrl+Shift+S)</source>
        <translation>Save and enroll (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>保存本户，然后到“参保登记”为本户参保</source>
        <translation>Save this household, then enroll it on the Enrollment screen</translation>
    </message>
    <message>
        <source>补打参保凭证</source>
        <translation>Reprint certificate</translation>
    </message>
    <message>
        <source>本户最近一个保险年度的参保凭证，按原编号再打一份</source>
        <translation>This household&apos;s certificates of its latest policy year, printed again under their numbers</translation>
    </message>
    <message>
        <source>参保凭证 {0}</source>
        <translation>Certificate {0}</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>新建“{0}户”</source>
        <translation>new household of {0}</translation>
    </message>
    <message>
        <source>修改“{0}户”</source>
        <translation>changes to the household of {0}</translation>
    </message>
    <message>
        <source>放弃修改？</source>
        <translation>Discard changes?</translation>
    </message>
    <message>
        <source>本户有还没保存的内容。放弃这些修改吗？</source>
        <translation>This household has changes that are not saved. Discard them?</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>继续填写</source>
        <translation>Keep editing</translation>
    </message>
</context>
<context>
    <name>HouseholdsScreen</name>
    <message>
        <source>输入姓名、拼音首字母、身份证号或电话查找</source>
        <translation>Search by name, pinyin initials, ID number or phone</translation>
    </message>
    <message>
        <source>参保状态不限</source>
        <translation>Any enrollment status</translation>
    </message>
    <message>
        <source>今年已参保</source>
        <translation>Enrolled this year</translation>
    </message>
    <message>
        <source>今年未参保</source>
        <translation>Not enrolled this year</translation>
    </message>
    <message>
        <source>含死亡、迁出</source>
        <translation>Include deceased and moved out</translation>
    </message>
    <message>
        <source>新建家庭户 (Ctrl+N)</source>
        <translation>New household (Ctrl+N)</translation>
    </message>
    <message>
        <source>户籍登记</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>全部村（社区）</source>
        <translation>All villages</translation>
    </message>
    <message>
        <source>全部家庭类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>正在读取名单…</source>
        <translation>Reading the list…</translation>
    </message>
    <message>
        <source>只显示前 {0} 人，请输入更多字缩小范围</source>
        <translation>Showing the first {0} persons only; type more to narrow the search</translation>
    </message>
    <message>
        <source>没有找到符合条件的人。可以换个写法（姓名、拼音首字母、身份证号后几位），或清除筛选条件。</source>
        <translation>Nobody matches. Try another spelling (name, pinyin initials, the last digits of the ID number) or clear the filters.</translation>
    </message>
    <message>
        <source>共 {0} 人</source>
        <translation>{0} persons</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Possible duplicates</translation>
    </message>
    <message>
        <source>暂缓（缺少前面的数据包）</source>
        <translation>Held (an earlier package is missing)</translation>
    </message>
    <message>
        <source>拒收</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>导入数据包</source>
        <translation>Import package</translation>
    </message>
    <message>
        <source>选择U盘或邮件附件中的 .fpsync 文件</source>
        <translation>Choose the .fpsync file from a USB stick or an e-mail attachment</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>条数</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>先检查：核对签名、收件单位和内容，列出将要导入的修改，不写入任何数据。</source>
        <translation>Check first: signature, recipient and content are verified and the changes listed; nothing is written.</translation>
    </message>
    <message>
        <source>检查</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>应用</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>撤销导入</source>
        <translation>Undo import</translation>
    </message>
    <message>
        <source>用导入前自动做的备份恢复数据库</source>
        <translation>Restore the database from the backup made just before the import</translation>
    </message>
    <message>
        <source>数据包</source>
        <translation>Package</translation>
    </message>
    <message>
        <source>选择数据包</source>
        <translation>Choose a package</translation>
    </message>
    <message>
        <source>数据交换包 (*.fpsync)</source>
        <translation>Exchange packages (*.fpsync)</translation>
    </message>
    <message>
        <source>正在检查数据包</source>
        <translation>Checking the package</translation>
    </message>
    <message>
        <source>正在导入数据包</source>
        <translation>Importing the package</translation>
    </message>
    <message>
        <source>来自 {0} 的第 {1} 号数据包，签名有效，尚未写入。导入后将新增 {2} 条、更新 {3} 条记录，{4} 处冲突，{5} 对疑似重复。导入前会自动备份，导入后可以撤销。确认无误后点“应用”。</source>
        <translation>Package no. {1} from {0}, signature valid, nothing written yet. Importing it adds {2} records and updates {3}, with {4} conflicts and {5} suspected duplicates. A backup is made before the import, and the import can be undone. If this is right, click Apply.</translation>
    </message>
    <message>
        <source>这个数据包已经导入过，不会再有变化。</source>
        <translation>This package was imported before; importing it again changes nothing.</translation>
    </message>
    <message>
        <source>已导入来自 {0} 的第 {1} 号数据包。</source>
        <translation>Imported package no. {1} from {0}.</translation>
    </message>
    <message>
        <source>如有问题，可点“撤销导入”恢复到导入前的备份。</source>
        <translation> If something is wrong, click Undo import to go back to the backup made before it.</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>……另有 {0} 条说明</source>
        <translation>… and {0} more notes</translation>
    </message>
    <message>
        <source>正在撤销导入</source>
        <translation>Undoing the import</translation>
    </message>
    <message>
        <source>已撤销导入：数据库已恢复到导入前的备份，撤销前的数据库另存为 {0}。</source>
        <translation>Import undone: the database is restored from the backup made before the import; the database as it was before the undo is kept as {0}.</translation>
    </message>
    <message>
        <source>没有导入任何内容。</source>
        <translation>Nothing was imported.</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>用邀请文件加入</source>
        <translation>Join by invitation</translation>
    </message>
    <message>
        <source>上级单位给的 .invite 文件</source>
        <translation>The .invite file from the parent office</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>如 1234-5678-9012</source>
        <translation>e.g. 1234-5678-9012</translation>
    </message>
    <message>
        <source>邀请文件</source>
        <translation>Invitation</translation>
    </message>
    <message>
        <source>配对码</source>
        <translation>Pairing code</translation>
    </message>
    <message>
        <source>选择邀请文件</source>
        <translation>Choose the invitation</translation>
    </message>
    <message>
        <source>邀请文件 (*.invite)</source>
        <translation>Invitations (*.invite)</translation>
    </message>
</context>
<context>
    <name>JoinLauncher</name>
    <message>
        <source>用邀请文件加入…</source>
        <translation>Join by invitation…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <source>登录 fpdesk</source>
        <translation>Log in to fpdesk</translation>
    </message>
    <message>
        <source>离开太久，屏幕已锁定。请输入密码继续，或换一个用户登录。</source>
        <translation>The screen locked after a long pause. Enter your password to go on, or log in as another user.</translation>
    </message>
    <message>
        <source>数据库已加密：请登录打开。</source>
        <translation>The database is encrypted: log in to open it.</translation>
    </message>
    <message>
        <source>{0}：请登录。</source>
        <translation>{0}: please log in.</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>退出程序</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>计生家庭保险登记 fpdesk</source>
        <translation>fpdesk — family-planning household insurance</translation>
    </message>
    <message>
        <source>新参保</source>
        <translation>New enrollment</translation>
    </message>
    <message>
        <source>续保</source>
        <translation>Renewals</translation>
    </message>
    <message>
        <source>户籍登记</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>参保登记</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>收费与打印</source>
        <translation>Payments and printing</translation>
    </message>
    <message>
        <source>理赔</source>
        <translation>Claims</translation>
    </message>
    <message>
        <source>进度统计</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>数据交换</source>
        <translation>Data exchange</translation>
    </message>
    <message>
        <source>系统设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>名册</source>
        <translation>Rosters</translation>
    </message>
    <message>
        <source>导入名册…</source>
        <translation>Import roster…</translation>
    </message>
    <message>
        <source>导出名册…</source>
        <translation>Export roster…</translation>
    </message>
    <message>
        <source>工具</source>
        <translation>Tools</translation>
    </message>
    <message>
        <source>核验参保凭证…</source>
        <translation>Verify a certificate…</translation>
    </message>
    <message>
        <source>（此功能正在开发中，将在后续版本提供。）</source>
        <translation>(Coming in a later version.)</translation>
    </message>
    <message>
        <source>本机单位：{0}（{1}）</source>
        <translation>Office: {0} ({1})</translation>
    </message>
    <message>
        <source>本机单位：尚未设置</source>
        <translation>Office: not set up</translation>
    </message>
    <message>
        <source>保险年度：{0}</source>
        <translation>Policy year: {0}</translation>
    </message>
    <message>
        <source>正在撤销…</source>
        <translation>Undoing…</translation>
    </message>
    <message>
        <source>最近交换：尚无</source>
        <translation>Last exchange: none</translation>
    </message>
    <message>
        <source>最近交换：{0}</source>
        <translation>Last exchange: {0}</translation>
    </message>
    <message>
        <source>数据库：{0}</source>
        <translation>Database: {0}</translation>
    </message>
    <message>
        <source>没有可以撤销的保存。</source>
        <translation>There is no save to undo.</translation>
    </message>
    <message>
        <source>已撤销上次保存。</source>
        <translation>The last save was undone.</translation>
    </message>
    <message>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>撤销保存</source>
        <translation>Undo save</translation>
    </message>
    <message>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>用户手册</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>开始使用（三步）…</source>
        <translation>Getting started (three steps)…</translation>
    </message>
    <message>
        <source>撤销：{0}</source>
        <translation>Undo: {0}</translation>
    </message>
    <message>
        <source>已保存。要撤销，请用“编辑”菜单里的“{0}”（Ctrl+Z）。</source>
        <translation>Saved. To undo it, use “{0}” in the Edit menu (Ctrl+Z).</translation>
    </message>
    <message>
        <source>已撤销：{0}。</source>
        <translation>Undone: {0}.</translation>
    </message>
</context>
<context>
    <name>MemberRow</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>18位身份证号</source>
        <translation>18-character ID number</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <source>手机或座机</source>
        <translation>Mobile or landline</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>打开该户</source>
        <translation>Open that household</translation>
    </message>
    <message>
        <source>迁入本户</source>
        <translation>Move into this household</translation>
    </message>
    <message>
        <source>还差 {0} 位</source>
        <translation>{0} more to go</translation>
    </message>
    <message>
        <source>{0}岁</source>
        <translation>{0} y</translation>
    </message>
    <message>
        <source>此身份证号已登记在{0}（{1}，{2}）。请打开该户核对，或把此人迁入本户。</source>
        <translation>This ID number is already registered in {0} ({1}, {2}). Open that household to check, or move the person into this one.</translation>
    </message>
    <message>
        <source>保存时将从{0}迁入本户。</source>
        <translation>Will move in from {0} when saved.</translation>
    </message>
    <message>
        <source>这里是选择项，不能输入数字：请用 ↑ ↓ 键选择，按 Enter 确认。</source>
        <translation>This is a choice, not a place for digits: choose with ↑ ↓ and press Enter.</translation>
    </message>
</context>
<context>
    <name>PaperOutput</name>
    <message>
        <source>先预览再打印</source>
        <translation>Preview, then print</translation>
    </message>
    <message>
        <source>直接打印</source>
        <translation>Print directly</translation>
    </message>
    <message>
        <source>存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>更改…</source>
        <translation>Change…</translation>
    </message>
    <message>
        <source>出单</source>
        <translation>Papers</translation>
    </message>
    <message>
        <source>选择出单的打印机</source>
        <translation>Printer for receipts and certificates</translation>
    </message>
    <message>
        <source>收据和参保凭证存到哪个文件夹</source>
        <translation>Folder for receipts and certificates</translation>
    </message>
    <message>
        <source>请在预览中打印。</source>
        <translation>Print from the preview.</translation>
    </message>
    <message>
        <source>已送打印机 {0}。</source>
        <translation>Sent to printer {0}.</translation>
    </message>
    <message>
        <source>收据和凭证已存入 {0}。</source>
        <translation>Receipt and certificate saved in {0}.</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>登记赔付</source>
        <translation>Record payment</translation>
    </message>
    <message>
        <source>赔付金额（元）</source>
        <translation>Amount paid (yuan)</translation>
    </message>
    <message>
        <source>赔付日期</source>
        <translation>Date paid</translation>
    </message>
</context>
<context>
    <name>PeopleTableModel</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <source>周岁</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>（已删除）</source>
        <translation>(deleted)</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>共 %1 页</source>
        <translation>%1 pages</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>另存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>无法打印</source>
        <translation>Cannot print</translation>
    </message>
    <message>
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PrintingScreen</name>
    <message>
        <source>参保凭证</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <source>收据</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>花名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <source>全部险种</source>
        <translation>All products</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>生成并预览</source>
        <translation>Generate and preview</translation>
    </message>
    <message>
        <source>核验二维码…</source>
        <translation>Verify a QR code…</translation>
    </message>
    <message>
        <source>种类</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>补打</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <source>打印时间</source>
        <translation>Printed at</translation>
    </message>
    <message>
        <source>打印什么</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>保险年度</source>
        <translation>Policy year</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>纸张</source>
        <translation>Paper</translation>
    </message>
    <message>
        <source>最近打印记录</source>
        <translation>Recently printed</translation>
    </message>
    <message>
        <source>只打印还没有打印过的凭证</source>
        <translation>Only certificates never printed before</translation>
    </message>
    <message>
        <source>241×93毫米针式打印纸</source>
        <translation>241 × 93 mm continuous form (dot-matrix)</translation>
    </message>
    <message>
        <source>只打印今天收款的收据</source>
        <translation>Only receipts of payments taken today</translation>
    </message>
    <message>
        <source>A4 横向</source>
        <translation>A4 landscape</translation>
    </message>
    <message>
        <source>（花名册每次打印都编新号）</source>
        <translation>(every roster print gets a new number)</translation>
    </message>
    <message>
        <source>正在生成……</source>
        <translation>Generating…</translation>
    </message>
    <message>
        <source>正在生成打印文件</source>
        <translation>Generating the print file</translation>
    </message>
    <message>
        <source>已生成 %1 份，共 %2 页；其中补打 %3 份。</source>
        <translation>Generated %1 documents on %2 pages; %3 of them reprints.</translation>
    </message>
    <message>
        <source>打印文件生成失败：%1</source>
        <translation>Generating the print file failed: %1</translation>
    </message>
    <message>
        <source>生成失败</source>
        <translation>Generation failed</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>已上报名册 %1：%2 户 %3 人；自主投保未缴费 %4 户未上报。</source>
        <translation>Roster %1 handed up: %2 households, %3 persons; %4 unpaid self-paid households stayed behind.</translation>
    </message>
    <message>
        <source>上报名册…</source>
        <translation>Hand up roster…</translation>
    </message>
    <message>
        <source>录入承保…</source>
        <translation>Enter confirmation…</translation>
    </message>
    <message>
        <source>登记拨款…</source>
        <translation>Record allocation…</translation>
    </message>
    <message>
        <source>名册与资金：</source>
        <translation>Rosters and money:</translation>
    </message>
    <message>
        <source>名册 %1 已录入承保（团单号 %2）：%3 户；未承保 %4 人。</source>
        <translation>Roster %1 confirmed (group policy %2): %3 households; %4 persons not accepted.</translation>
    </message>
    <message>
        <source>已登记拨款 %1：%2，%3 户保费已收齐。</source>
        <translation>Allocation %1 recorded: %2; %3 households fully paid.</translation>
    </message>
</context>
<context>
    <name>ProductCombo</name>
    <message>
        <source>{0}（已停办）</source>
        <translation>{0} (withdrawn)</translation>
    </message>
</context>
<context>
    <name>ProgressScreen</name>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>保险年度</source>
        <translation>Policy year</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>统计截至</source>
        <translation>Counted up to</translation>
    </message>
    <message>
        <source>完成进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>任务数</source>
        <translation>Targets</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>乡镇 / 村</source>
        <translation>Township / village</translation>
    </message>
    <message>
        <source>上周</source>
        <translation>Last week</translation>
    </message>
    <message>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>政府</source>
        <translation>Government</translation>
    </message>
    <message>
        <source>自主</source>
        <translation>Self-paid</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>完成率</source>
        <translation>Completion</translation>
    </message>
    <message>
        <source>排名</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>任务口径</source>
        <translation>Target as set</translation>
    </message>
    <message>
        <source>打印文件</source>
        <translation>PDF</translation>
    </message>
    <message>
        <source>电子表格</source>
        <translation>Spreadsheet</translation>
    </message>
    <message>
        <source>打印周通报…</source>
        <translation>Print the weekly bulletin…</translation>
    </message>
    <message>
        <source>第</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>周</source>
        <translation>of the year</translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>导入任务表…</source>
        <translation>Import target table…</translation>
    </message>
    <message>
        <source>保存任务数</source>
        <translation>Save targets</translation>
    </message>
    <message>
        <source>导入常住人口…</source>
        <translation>Import resident population…</translation>
    </message>
    <message>
        <source>县里下达的任务：在“下达方式”一列选份数、户数、人数或普查户数、常住人口的比例，填写后保存；也可导入附件表格。按比例下达的，先导入常住人口和户数。</source>
        <translation>Targets set by the county: choose shares, households, persons or a share of the census households or residents in the “Set as” column, fill it in and save; or import the annex table. For a target set as a share, import the residents and households first.</translation>
    </message>
    <message>
        <source>份数</source>
        <translation>Shares</translation>
    </message>
    <message>
        <source>保费</source>
        <translation>Premium</translation>
    </message>
    <message>
        <source>报案件数</source>
        <translation>Claims reported</translation>
    </message>
    <message>
        <source>同比增减</source>
        <translation>Change on last year</translation>
    </message>
    <message>
        <source>赔付件数</source>
        <translation>Claims paid</translation>
    </message>
    <message>
        <source>赔付金额</source>
        <translation>Amount paid</translation>
    </message>
    <message>
        <source>赔付率</source>
        <translation>Loss ratio</translation>
    </message>
    <message>
        <source>财政出资比例</source>
        <translation>Government share</translation>
    </message>
    <message>
        <source>覆盖率</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <source>统计年度起始月</source>
        <translation>Statistical year starts in month</translation>
    </message>
    <message>
        <source>进度落后：%1</source>
        <translation>Lagging behind: %1</translation>
    </message>
    <message>
        <source>暂无落后的乡镇。</source>
        <translation>No township is lagging behind.</translation>
    </message>
    <message>
        <source>户</source>
        <translation> hh</translation>
    </message>
    <message>
        <source>人</source>
        <translation> ppl</translation>
    </message>
    <message>
        <source>各乡镇完成率（%）</source>
        <translation>Completion by township (%)</translation>
    </message>
    <message>
        <source>其中：政府投保</source>
        <translation>of which government-paid</translation>
    </message>
    <message>
        <source>其中：自主投保</source>
        <translation>of which self-paid</translation>
    </message>
    <message>
        <source>其中：单位投保</source>
        <translation>of which employer-paid</translation>
    </message>
    <message>
        <source>各级承担的保费：%1</source>
        <translation>Premium by payer level: %1</translation>
    </message>
    <message>
        <source>不能保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>已保存 %1 个区划的任务数。</source>
        <translation>Targets of %1 divisions saved.</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>导入任务表</source>
        <translation>Import target table</translation>
    </message>
    <message>
        <source>表格 (*.xlsx *.xls *.ods *.csv)</source>
        <translation>Spreadsheets (*.xlsx *.xls *.ods *.csv)</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>任务表有 %1 行不能导入，整个文件未导入：</source>
        <translation>%1 rows of the target table cannot be imported; nothing was imported:</translation>
    </message>
    <message>
        <source>已导入 %1 行：政府 %2，自主 %3，单位 %4，合计 %5 份。</source>
        <translation>Imported %1 rows: government %2, self-paid %3, employer %4, total %5 shares.</translation>
    </message>
    <message>
        <source>目标户数 %1</source>
        <translation>target households %1</translation>
    </message>
    <message>
        <source>目标人数 %1</source>
        <translation>target persons %1</translation>
    </message>
    <message>
        <source>按覆盖率 %1 行</source>
        <translation>%1 rows as a rate</translation>
    </message>
    <message>
        <source>本库没有的乡镇已跳过：%1</source>
        <translation>Townships this database does not hold were skipped: %1</translation>
    </message>
    <message>
        <source>导入常住人口</source>
        <translation>Import resident population</translation>
    </message>
    <message>
        <source>已导入 %1 个区划的常住人口。</source>
        <translation>Resident population of %1 divisions imported.</translation>
    </message>
    <message>
        <source>保存周通报</source>
        <translation>Save the weekly bulletin</translation>
    </message>
    <message>
        <source>Excel 表格 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>正在生成周通报……</source>
        <translation>Writing the weekly bulletin…</translation>
    </message>
    <message>
        <source>正在生成周通报</source>
        <translation>Writing the weekly bulletin</translation>
    </message>
    <message>
        <source>周通报已生成：%1</source>
        <translation>Weekly bulletin written: %1</translation>
    </message>
    <message>
        <source>周通报</source>
        <translation>Weekly bulletin</translation>
    </message>
    <message>
        <source>已登记未缴费</source>
        <translation>Registered, unpaid</translation>
    </message>
    <message>
        <source>被保险人数</source>
        <translation>Insured persons</translation>
    </message>
    <message>
        <source>统计年度：%1 至 %2。保单按保险起期计入年度，只计已缴费（含已拨款）的参保。赔付率 = %3；承保金额即保费（非保额）；覆盖率 = 份数 ÷ 常住人口。</source>
        <translation>Statistical year: %1 to %2. A policy counts in the year its cover starts; only enrollments whose premium was received (paid or allocated) count. Loss ratio = %3; premium total is premium, not sum insured; coverage = shares ÷ resident population.</translation>
    </message>
</context>
<context>
    <name>RegisterClaimDialog</name>
    <message>
        <source>出险登记</source>
        <translation>Register an incident</translation>
    </message>
    <message>
        <source>被保险人身份证号码</source>
        <translation>Insured person&apos;s ID number</translation>
    </message>
    <message>
        <source>按保障自动选择</source>
        <translation>From the person&apos;s cover</translation>
    </message>
    <message>
        <source>绿色通道（代为报案、跟踪反馈）</source>
        <translation>Green channel (we report and follow it up)</translation>
    </message>
    <message>
        <source>上门服务</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <source>已向保险公司报案</source>
        <translation>Already reported to the insurer</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>出险类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>出险日期</source>
        <translation>Incident date</translation>
    </message>
    <message>
        <source>住院天数</source>
        <translation>Days in hospital</translation>
    </message>
    <message>
        <source>申请金额（元）</source>
        <translation>Amount claimed (yuan)</translation>
    </message>
    <message>
        <source>经过</source>
        <translation>What happened</translation>
    </message>
    <message>
        <source>报案日期</source>
        <translation>Report date</translation>
    </message>
    <message>
        <source>报案号</source>
        <translation>Report no.</translation>
    </message>
</context>
<context>
    <name>RenewalPanel</name>
    <message>
        <source>列出未续保</source>
        <translation>List those not renewed</translation>
    </message>
    <message>
        <source>全部续保</source>
        <translation>Renew all</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head</translation>
    </message>
    <message>
        <source>村（社区）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>续保人数</source>
        <translation>Persons</translation>
    </message>
    <message>
        <source>保费</source>
        <translation>Premium</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>点“列出未续保”：列出上一年度参保、今年还没有续保的户，并按续保年龄上限重新核对资格。</source>
        <translation>Press “List those not renewed” to see last year&apos;s insured households that have not renewed this year, re-checked against the renewal age limits.</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>上一年度</source>
        <translation>Previous year</translation>
    </message>
    <message>
        <source>正在核对上一年度参保人…</source>
        <translation>Checking last year&apos;s insured…</translation>
    </message>
    <message>
        <source>确认续保</source>
        <translation>Confirm renewal</translation>
    </message>
    <message>
        <source>为 {0} 户、{1} 人办理续保？</source>
        <translation>Renew {0} households, {1} persons?</translation>
    </message>
    <message>
        <source>正在续保…</source>
        <translation>Renewing…</translation>
    </message>
    <message>
        <source>今年已参保</source>
        <translation>Enrolled this year</translation>
    </message>
    <message>
        <source>已续保 {0} 户、{1} 人。</source>
        <translation>Renewed {0} households, {1} persons.</translation>
    </message>
    <message>
        <source>可续保 {0} 户、{1} 人。</source>
        <translation>{0} households, {1} persons can be renewed.</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>报案</source>
        <translation>Report to the insurer</translation>
    </message>
    <message>
        <source>报案日期</source>
        <translation>Report date</translation>
    </message>
    <message>
        <source>保险公司报案号</source>
        <translation>Insurer&apos;s report no.</translation>
    </message>
</context>
<context>
    <name>RetentionDialog</name>
    <message>
        <source>个人信息保存期限</source>
        <translation>Retention of personal information</translation>
    </message>
    <message>
        <source> 年</source>
        <translation> years</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>匿名化…</source>
        <translation>Anonymise…</translation>
    </message>
    <message>
        <source>只有管理员可以匿名化。</source>
        <translation>Only an administrator may anonymise.</translation>
    </message>
    <message>
        <source>到期未再参保的人员：{0} 人</source>
        <translation>People due (no longer insured): {0}</translation>
    </message>
    <message>
        <source>匿名化</source>
        <translation>Anonymise</translation>
    </message>
    <message>
        <source>把这 {0} 人匿名化？他们的姓名、身份证号和电话号码将被删除，包括修改历史中的记录。此操作不可撤销。</source>
        <translation>Anonymise these {0} people? Their names, ID and phone numbers will be removed, here and in their history. This cannot be undone.</translation>
    </message>
    <message>
        <source>正在匿名化…</source>
        <translation>Anonymising…</translation>
    </message>
    <message>
        <source>已匿名化 {0} 人（历史记录中 {1} 条已改为摘要）。</source>
        <translation>Anonymised {0} people ({1} history entries replaced by digests).</translation>
    </message>
    <message>
        <source>不再参保的人员，其个人信息在最后参保的保险年度结束后保存规定的年数，到期后应匿名化（《个人信息保护法》第19、47条）。匿名化删除姓名、身份证号和电话号码，包括修改历史中的记录，出生日期只留年份，不可撤销。</source>
        <translation>The personal information of people no longer insured is kept for the years set here after the end of their last policy year, then anonymised (PIPL art. 19, 47). Anonymisation removes their names, ID and phone numbers, here and in their history, keeps only the year of birth, and cannot be undone.</translation>
    </message>
    <message>
        <source>保存年限：最后参保的保险年度结束后</source>
        <translation>Keep data after the last policy year for</translation>
    </message>
    <message>
        <source>已保存：最后参保的保险年度结束后 {0} 年。</source>
        <translation>Saved: data is kept {0} years after the last policy year.</translation>
    </message>
</context>
<context>
    <name>RosterExportDialog</name>
    <message>
        <source>导出花名册</source>
        <translation>Export rosters</translation>
    </message>
    <message>
        <source>全部险种（每个险种一个工作表）</source>
        <translation>All products (one sheet per product)</translation>
    </message>
    <message>
        <source>本单位全部</source>
        <translation>Whole office</translation>
    </message>
    <message>
        <source>财政所：政府投保及多级分担的人员、各级保费，按村小计</source>
        <translation>Finance office: government-paid and shared-premium people, premium by payer level, subtotal per village</translation>
    </message>
    <message>
        <source>保险公司：被保险人名单、保额、保险期间</source>
        <translation>Insurer: insured persons, sums insured, policy period</translation>
    </message>
    <message>
        <source>完整花名册（本单位留存）</source>
        <translation>Full roster (kept by this office)</translation>
    </message>
    <message>
        <source>完整花名册显示完整身份证号码（默认只显示前6位和后4位）</source>
        <translation>Show full ID numbers in the full roster (by default only the first 6 and last 4 digits)</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>保险年度</source>
        <translation>Policy year</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>用途</source>
        <translation>For</translation>
    </message>
    <message>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>生成导入模板</source>
        <translation>Write import template</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>保存花名册</source>
        <translation>Save roster</translation>
    </message>
    <message>
        <source>正在导出花名册…</source>
        <translation>Exporting the roster…</translation>
    </message>
    <message>
        <source>已导出 {0} 人到 {1}</source>
        <translation>Exported {0} people to {1}</translation>
    </message>
    <message>
        <source>请先选择一个险种，模板按险种生成。</source>
        <translation>Choose a product first: templates are made per product.</translation>
    </message>
    <message>
        <source>导入模板已保存：{0}</source>
        <translation>Import template saved: {0}</translation>
    </message>
</context>
<context>
    <name>RosterImportWizard</name>
    <message>
        <source>导入花名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>选择 Excel、WPS 或 CSV 花名册文件</source>
        <translation>Choose an Excel, WPS or CSV roster file</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>按文件中的“险种”列或标题</source>
        <translation>From the file&apos;s product column or title</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>保险年度</source>
        <translation>Policy year</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>先检查（试导入），不会写入任何数据；检查结果确认后再正式导入。往年的花名册按当年的日期判断参保条件。</source>
        <translation>The check (dry run) comes first and writes nothing; import after reviewing it. A past year&apos;s roster is judged at that year&apos;s dates.</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>表头所在行</source>
        <translation>Header row</translation>
    </message>
    <message>
        <source>表头及下面的前几行：</source>
        <translation>The header and the first rows below it:</translation>
    </message>
    <message>
        <source>文件中的列</source>
        <translation>Column in the file</translation>
    </message>
    <message>
        <source>对应项目</source>
        <translation>Maps to</translation>
    </message>
    <message>
        <source>示例</source>
        <translation>Examples</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>原因代码</source>
        <translation>Reason code</translation>
    </message>
    <message>
        <source>添加本乡镇的村（社区）…</source>
        <translation>Add this township&apos;s villages…</translation>
    </message>
    <message>
        <source>保存错误报告…</source>
        <translation>Save error report…</translation>
    </message>
    <message>
        <source>将修改的登记信息</source>
        <translation>Registered values to change</translation>
    </message>
    <message>
        <source>拒收</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>不参保</source>
        <translation>Not insured</translation>
    </message>
    <message>
        <source>保存被拒收的行…</source>
        <translation>Save the rejected rows…</translation>
    </message>
    <message>
        <source>检查（试导入）</source>
        <translation>Check (dry run)</translation>
    </message>
    <message>
        <source>正式导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>选择花名册</source>
        <translation>Choose a roster</translation>
    </message>
    <message>
        <source>请选择一个存在的文件。</source>
        <translation>Choose an existing file.</translation>
    </message>
    <message>
        <source>没有自动找到表头：请在“表头所在行”中指定。</source>
        <translation>No header was found: set the header row.</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(not imported)</translation>
    </message>
    <message>
        <source>已按列名自动对应；黄色的列没有对应上，需要时请选择。</source>
        <translation>Columns were matched by name; yellow ones are not matched, choose where needed.</translation>
    </message>
    <message>
        <source>这种格式以前导入过，已使用上次的对应关系。</source>
        <translation>This layout was imported before; the previous mapping is used.</translation>
    </message>
    <message>
        <source>（{0}列未对应）</source>
        <translation> (not mapped: {0})</translation>
    </message>
    <message>
        <source>请先为这些项目选择“全部填为…”，或把文件中的列对应到它们：{0}</source>
        <translation>First choose &apos;Fill all with…&apos; for these questions, or map a column of the file to them: {0}</translation>
    </message>
    <message>
        <source>正在检查花名册…</source>
        <translation>Checking the roster…</translation>
    </message>
    <message>
        <source>共 {0} 行：新增 {1} 人，更新 {2} 人，未变 {3} 人，拒收 {4} 行。可导入 {5} 行。</source>
        <translation>{0} rows: {1} new, {2} updated, {3} unchanged people, {4} rows rejected. {5} rows can be imported.</translation>
    </message>
    <message>
        <source>将参保 {0} 户；{1} 人按险种规定不参保（照常登记）。</source>
        <translation>{0} households will be enrolled; {1} people are not insured under the product&apos;s rules (registered all the same).</translation>
    </message>
    <message>
        <source>文件中没有“险种”列，也没有选择险种：只登记家庭户和人员，不办理参保。如要同时参保，请返回第一步选择险种。</source>
        <translation>The file has no product column and no product was chosen: households and people will be registered, nobody enrolled. To enroll them too, go back to the first step and choose the product.</translation>
    </message>
    <message>
        <source>拒收（{0}）</source>
        <translation>Rejected ({0})</translation>
    </message>
    <message>
        <source>修改已登记信息（{0}）</source>
        <translation>Changes to registered values ({0})</translation>
    </message>
    <message>
        <source>不参保（{0}）</source>
        <translation>Not insured ({0})</translation>
    </message>
    <message>
        <source>说明（{0}）</source>
        <translation>Notes ({0})</translation>
    </message>
    <message>
        <source>已添加：{0}。已重新检查。</source>
        <translation>Added: {0}. Checked again.</translation>
    </message>
    <message>
        <source>正在导入花名册…</source>
        <translation>Importing the roster…</translation>
    </message>
    <message>
        <source>导入完成：新增 {0} 人，更新 {1} 人，未变 {2} 人，新增参保 {3} 户；拒收 {4} 行未导入。</source>
        <translation>Imported: {0} new, {1} updated, {2} unchanged people, {3} new enrollments; {4} rejected rows were not imported.</translation>
    </message>
    <message>
        <source>{0} 人按险种规定不参保，已照常登记。</source>
        <translation>{0} people are not insured under the product&apos;s rules; they are registered.</translation>
    </message>
    <message>
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
    <message>
        <source>保存错误报告</source>
        <translation>Save error report</translation>
    </message>
    <message>
        <source>正在保存错误报告…</source>
        <translation>Saving the error report…</translation>
    </message>
    <message>
        <source>错误报告已保存：{0}</source>
        <translation>Error report saved: {0}</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>标准</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>大字</source>
        <translation>Large</translation>
    </message>
    <message>
        <source>特大字</source>
        <translation>Extra large</translation>
    </message>
    <message>
        <source>语言和字号在下次启动时生效。</source>
        <translation>Language and text size apply at the next start.</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>字号</source>
        <translation>Text size</translation>
    </message>
    <message>
        <source>系统设置</source>
        <translation>Settings</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>欢迎使用 fpdesk — 设置本机单位</source>
        <translation>Welcome to fpdesk — set up this office</translation>
    </message>
    <message>
        <source>第一次使用，请说明这台电脑属于哪个单位。区划代码请按县里下发的统计用区划代码填写。</source>
        <translation>First use: say which office this computer belongs to. Use the statistical division code the county issued.</translation>
    </message>
    <message>
        <source>村12位，乡镇9位，县6位，如 350421200201</source>
        <translation>12 digits for a village, 9 for a township, 6 for a county, e.g. 350421200201</translation>
    </message>
    <message>
        <source>如：罗翠村计生协</source>
        <translation>e.g. Luocui Village FP Association</translation>
    </message>
    <message>
        <source>单位级别</source>
        <translation>Office level</translation>
    </message>
    <message>
        <source>区划代码</source>
        <translation>Division code</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Office name</translation>
    </message>
    <message>
        <source>可选：统计局的区划名单（xlsx/csv：代码、名称、上级代码、类别）</source>
        <translation>Optional: the statistics bureau&apos;s division list (xlsx/csv: code, name, parent code, kind)</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>区划名单</source>
        <translation>Division list</translation>
    </message>
    <message>
        <source>先看看演示数据</source>
        <translation>Look at demo data first</translation>
    </message>
    <message>
        <source>选择区划名单</source>
        <translation>Choose the division list</translation>
    </message>
    <message>
        <source>区划名单已导入：新增 {0} 个，拒收 {1} 行。</source>
        <translation>Division list imported: {0} new, {1} rows rejected.</translation>
    </message>
</context>
<context>
    <name>TargetTable</name>
    <message>
        <source>乡镇 / 村</source>
        <translation>Township / village</translation>
    </message>
    <message>
        <source>区划代码</source>
        <translation>Division code</translation>
    </message>
    <message>
        <source>政府投保</source>
        <translation>Government-paid</translation>
    </message>
    <message>
        <source>自主投保</source>
        <translation>Self-paid</translation>
    </message>
    <message>
        <source>单位投保</source>
        <translation>Employer-paid</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>任务口径</source>
        <translation>Target as set</translation>
    </message>
    <message>
        <source>下达方式</source>
        <translation>Set as</translation>
    </message>
    <message>
        <source>户数或人数</source>
        <translation>Households or persons</translation>
    </message>
    <message>
        <source>覆盖率</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>力争覆盖率</source>
        <translation>Stretch rate</translation>
    </message>
    <message>
        <source>份数</source>
        <translation>Shares</translation>
    </message>
    <message>
        <source>户数</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>Persons</translation>
    </message>
    <message>
        <source>普查户数的比例</source>
        <translation>Share of census households</translation>
    </message>
    <message>
        <source>常住人口的比例</source>
        <translation>Share of residents</translation>
    </message>
</context>
<context>
    <name>TrustActions</name>
    <message>
        <source>不能执行</source>
        <translation>Not allowed</translation>
    </message>
    <message>
        <source>修改我的密码</source>
        <translation>Change my password</translation>
    </message>
    <message>
        <source>新密码（至少8位）：</source>
        <translation>New password (at least 8 characters):</translation>
    </message>
    <message>
        <source>修改历史</source>
        <translation>History</translation>
    </message>
    <message>
        <source>请先在家庭户列表中选中一户。</source>
        <translation>Select a household in the list first.</translation>
    </message>
    <message>
        <source>个人信息同意</source>
        <translation>Consent to personal information</translation>
    </message>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>审计日志完好：{0} 条修改记录核对无误。</source>
        <translation>The audit log is intact: {0} changes check out.</translation>
    </message>
    <message>
        <source>审计日志的末尾被改动、删除或挪动过：{0}</source>
        <translation>The end of the audit log was edited, deleted or moved: {0}</translation>
    </message>
    <message>
        <source>审计日志第 {0} 条被改动、删除或挪动过：{1}</source>
        <translation>Audit log entry {0} was edited, deleted or moved: {1}</translation>
    </message>
    <message>
        <source>备份到</source>
        <translation>Back up to</translation>
    </message>
    <message>
        <source>数据库 (*.sqlite3)</source>
        <translation>Database (*.sqlite3)</translation>
    </message>
    <message>
        <source>备份</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>已备份到 {0}</source>
        <translation>Backed up to {0}</translation>
    </message>
    <message>
        <source>自动备份保存到（可选U盘）</source>
        <translation>Save automatic backups to (a USB stick, for example)</translation>
    </message>
</context>
<context>
    <name>TrustMenu</name>
    <message>
        <source>安全</source>
        <translation>Security</translation>
    </message>
    <message>
        <source>用户管理…</source>
        <translation>Users…</translation>
    </message>
    <message>
        <source>修改我的密码…</source>
        <translation>Change my password…</translation>
    </message>
    <message>
        <source>这户的修改历史…</source>
        <translation>History of this household…</translation>
    </message>
    <message>
        <source>这户的个人信息同意…</source>
        <translation>This household&apos;s consent to personal information…</translation>
    </message>
    <message>
        <source>核验审计日志</source>
        <translation>Check the audit log</translation>
    </message>
    <message>
        <source>个人信息保存期限…</source>
        <translation>Retention of personal information…</translation>
    </message>
    <message>
        <source>立即备份…</source>
        <translation>Back up now…</translation>
    </message>
    <message>
        <source>自动备份文件夹…</source>
        <translation>Automatic backup folder…</translation>
    </message>
    <message>
        <source>锁定屏幕</source>
        <translation>Lock screen</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>最近登录</source>
        <translation>Last log-in</translation>
    </message>
    <message>
        <source>用户管理</source>
        <translation>Users</translation>
    </message>
    <message>
        <source>添加用户…</source>
        <translation>Add user…</translation>
    </message>
    <message>
        <source>重置密码…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <source>停用/恢复</source>
        <translation>Disable/enable</translation>
    </message>
    <message>
        <source>更改角色…</source>
        <translation>Change role…</translation>
    </message>
    <message>
        <source>录入员：登记、导入花名册、打印、导出（身份证号打码）。审核员：另可批量参保续保、审核上报、查看完整身份证号和审计日志、备份。管理员：全部，包括用户和设置。只读：只能查看。</source>
        <translation>Data entry: register, import rosters, print, export (ID numbers masked). Reviewer: also bulk enrollment and renewal, review and hand up, full ID numbers, the audit log, backups. Administrator: everything, users and settings included. Viewer: look only.</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>disabled</translation>
    </message>
    <message>
        <source>锁定</source>
        <translation>locked</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>active</translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>{0} 的新密码：</source>
        <translation>New password for {0}:</translation>
    </message>
    <message>
        <source>更改角色</source>
        <translation>Change role</translation>
    </message>
    <message>
        <source>{0} 的角色：</source>
        <translation>Role of {0}:</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>核验凭证二维码</source>
        <translation>Verify a certificate&apos;s QR code</translation>
    </message>
    <message>
        <source>用扫码枪扫描凭证或花名册上的二维码，或粘贴其内容后按回车</source>
        <translation>Scan the QR code on a certificate or roster with the barcode scanner, or paste its text and press Enter</translation>
    </message>
    <message>
        <source>核验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <source>等待扫码……</source>
        <translation>Waiting for a scan…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>参保凭证 %1，险种 %2，保险期间 %3 至 %4，户主身份证 %5</source>
        <translation>Certificate %1, product %2, period %3 to %4, head&apos;s ID %5</translation>
    </message>
    <message>
        <source>花名册 %1，险种 %2，年度 %3，%4 人</source>
        <translation>Roster %1, product %2, year %3, %4 persons</translation>
    </message>
    <message>
        <source>出具单位代码 %1（密钥 %2）</source>
        <translation>Issuing office code %1 (key %2)</translation>
    </message>
    <message>
        <source>本机记录的参保状态：%1</source>
        <translation>Enrollment status recorded here: %1</translation>
    </message>
</context>
</TS>
