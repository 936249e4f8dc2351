"""The plan-phrase vocabulary the bench generator assembles documents from.

Written for this project: pieces of the language of Chinese development plans (规划) in
the family of our corpus document (intellectual property, innovation, standards,
brands). Sentences built from them need not mean much, but they must look like plan
text to the pipeline: lead sentences (健全商业秘密保护政策。), longer sentences with
commas, numbers, quotes and book-title marks, and agency statements.

Everything here is data; ``bench.generate`` decides how it is combined.
"""

from __future__ import annotations

# Subject areas (the "topic" of a box or a sentence).
TOPICS = (
    "知识产权", "专利", "商标", "版权", "地理标志", "商业秘密", "植物新品种", "集成电路布图设计",
    "数据知识产权", "专利导航", "知识产权公共服务", "知识产权运营", "知识产权金融", "知识产权质押融资",
    "知识产权维权援助", "知识产权人才", "知识产权文化", "海外知识产权", "标准必要专利", "中医药传统知识",
    "遗传资源", "科技成果转化", "商标品牌", "版权产业", "数字版权", "网络版权", "知识产权信息",
    "知识产权代理", "知识产权鉴定", "知识产权仲裁调解", "高价值专利", "知识产权证券化", "知识产权保险",
    "企业知识产权管理", "知识产权快速协同保护", "知识产权大数据", "专利密集型产业", "知识产权强市",
)

# What a verb acts on: {t} is a topic.
OBJECT_PATTERNS = (
    "{t}保护体系", "{t}保护机制", "{t}保护政策", "{t}审查质量", "{t}公共服务平台", "{t}运营服务体系",
    "{t}信息服务", "{t}保护中心", "{t}示范区", "{t}人才队伍", "{t}政策体系", "{t}统计监测",
    "{t}行政执法能力", "{t}纠纷多元化解机制", "{t}转化运用", "{t}服务能力", "{t}治理能力",
    "{t}标准体系", "{t}评价体系", "{t}风险防控体系", "{t}工作机制", "{t}协同保护", "{t}宣传培训",
    "{t}基础设施", "{t}数据资源", "{t}监测预警", "{t}国际合作", "{t}服务基地", "{t}管理制度",
    "{t}信用监管", "{t}质量管理", "{t}保护水平",
)

# Verbs that open a sentence. The first group is what damaged extracts swap in near-duplicates.
SWAP_GROUPS = (
    ("支持", "鼓励", "推动"),
    ("加强", "强化"),
    ("健全", "完善"),
)
VERBS = (
    "健全", "完善", "加强", "强化", "提升", "推进", "推动", "建立", "构建", "深化", "优化", "实施", "开展",
    "支持", "鼓励", "引导", "探索", "加快", "打造", "培育", "规范", "落实", "拓展", "扩大", "夯实", "创新",
)

SUBJECTS = (
    "企业、高校、科研机构", "行业协会、服务机构", "地方政府", "中小企业", "市场主体", "重点企业",
    "高等院校和科研院所", "行业组织", "知识产权服务机构", "各类金融机构", "龙头企业", "产业联盟",
)

REGIONS = (
    "重点产业集聚区", "自由贸易试验区", "国家级新区", "中西部地区", "重点区域、重点产业园区",
    "粤港澳大湾区", "长三角地区", "京津冀地区", "东北地区", "革命老区", "边境地区", "县域",
)

FACILITIES = (
    "{t}保护中心", "{t}快速维权中心", "{t}服务基地", "{t}运营中心", "{t}服务工作站", "{t}培训基地",
    "{t}示范园区", "{t}信息服务网点", "{t}维权援助分中心", "{t}创新中心",
)

PURPOSES = (
    "提升{t}保护水平", "增强{s}{t}意识", "促进{t}转化运用", "服务经济社会高质量发展", "营造良好创新环境",
    "激发全社会创新活力", "支撑产业转型升级", "提高{t}工作效能", "保障{t}安全", "推动形成协同保护格局",
    "助力构建新发展格局", "夯实{t}工作基础",
)

METRICS = (
    "{t}覆盖率", "{t}服务满意度", "{t}案件结案率", "{t}转化率", "{t}信息利用率", "{t}审查合格率",
    "{t}纠纷调解成功率", "{t}培训覆盖面",
)

DOCS = ("管理办法", "指导意见", "实施方案", "标准规范", "工作指引", "评价指南", "操作规程", "保护指南")
REPORTS = ("{t}发展状况报告", "典型案例", "{t}保护指南", "{t}统计数据", "{t}年度报告", "{t}风险预警信息")
CAMPAIGNS = ("{t}+", "百千万", "双打", "蓝天", "铁拳", "昆仑", "剑网", "龙腾", "护航")
BOOKS = (
    "专利法", "商标法", "著作权法", "反不正当竞争法", "植物新品种保护条例", "集成电路布图设计保护条例",
    "专利审查指南", "商标审查审理指南", "知识产权强国建设纲要", "地理标志产品保护规定",
)
TECH = ("大数据", "云计算", "人工智能", "区块链", "物联网", "移动互联网", "卫星遥感", "数字孪生")

# Sentences more than one box may print word for word (legitimate repeats across boxes).
SHARED_SENTENCES = (
    "加强宣传培训，营造良好氛围。",
    "完善统计监测和评价考核机制。",
    "加大资金投入，强化人才保障。",
    "定期开展实施情况评估。",
    "推动相关政策落地见效。",
    "加强部门协同和上下联动。",
    "强化知识产权保护意识。",
    "建立健全工作台账和督促检查机制。",
    "及时总结推广典型经验做法。",
    "鼓励社会资本参与建设运营。",
)

# Box titles: {t}{core}{suffix}.
TITLE_CORES = (
    "保护", "运用", "公共服务", "能力提升", "示范", "强基", "国际合作", "信息化建设", "人才培养", "文化建设",
    "审查质量提升", "综合管理改革", "转化运用促进", "服务业发展", "协同保护", "质量提升", "品牌建设",
    "体系建设", "基础设施建设", "数字化转型", "高质量发展", "普及教育", "助力乡村振兴", "海外维权",
)
TITLE_SUFFIXES = ("工程", "工程", "工程", "行动", "行动", "计划", "专项行动", "提升行动", "建设工程", "推进计划")

PLAN_TITLES = (
    "“{period}”{area}知识产权保护和运用规划",
    "“{period}”{area}知识产权事业发展规划",
    "{area}知识产权强省建设纲要实施方案（{y0}—{y1}年）",
    "“{period}”{area}科技创新和知识产权发展规划",
    "{area}商标品牌发展规划（{y0}—{y1}年）",
    "“{period}”{area}版权产业发展规划",
)
PERIODS = {2015: "十三五", 2020: "十四五", 2025: "十五五"}
NATIONAL_AREA = "国家"
PROVINCES = ("广东省", "浙江省", "江苏省", "山东省", "四川省", "湖北省", "福建省", "河南省", "安徽省", "陕西省")
CITIES = ("杭州市", "广州市", "成都市", "武汉市", "苏州市", "青岛市", "西安市", "合肥市")

# Key-indicator rows: name, unit, baseline range, decimals, share of rows with a footnote.
# The names are those of plan tables, written out here; ranges keep targets plausible.
INDICATORS = (
    ("每万人口高价值发明专利拥有量", "件", (2.0, 15.0), 1),
    ("每万人口发明专利拥有量", "件", (5.0, 30.0), 1),
    ("海外发明专利授权量", "万件", (2, 10), 0),
    ("PCT国际专利申请量", "件", (1000, 9000), 0),
    ("马德里商标国际注册量", "件", (500, 6000), 0),
    ("有效注册商标量", "万件", (100, 900), 0),
    ("地理标志商标累计注册量", "件", (100, 800), 0),
    ("作品著作权登记量", "万件", (10, 90), 0),
    ("计算机软件著作权登记量", "万件", (5.0, 60.0), 1),
    ("知识产权质押融资登记金额", "亿元", (100, 3500), 0),
    ("知识产权使用费年进出口总额", "亿元", (300.0, 4000.0), 1),
    ("专利密集型产业增加值占 GDP 比重", "%", (8.0, 14.0), 1),
    ("版权产业增加值占 GDP 比重", "%", (5.00, 8.00), 2),
    ("知识产权保护社会满意度", "分", (70.00, 82.00), 2),
    ("知识产权民事一审案件服判息诉率", "%", (75, 85), 0),
    ("专利商标审查满意度", "分", (75.0, 85.0), 1),
    ("知识产权服务机构数量", "万个", (2.0, 9.0), 1),
    ("知识产权代理从业人员数量", "万个", (1.0, 5.0), 1),
    ("拥有有效发明专利的中小企业户数", "万户", (5.0, 30.0), 1),
    ("开展知识产权管理规范贯标的企业", "万户", (1.0, 6.0), 1),
    ("技术合同成交额", "亿元", (500, 9000), 0),
    ("高新技术企业数量", "万个", (1.0, 8.0), 1),
    ("知识产权纠纷调解成功率", "%", (60.0, 80.0), 1),
    ("知识产权保险保障金额", "亿元", (50, 900), 0),
    ("重点产品检验检测量", "万件/套", (10, 90), 0),  # a unit with a slash: sound text
)
CHANGE_HEADERS = ("累计增加值", "累计增加值", "累计变化", "累计增加")
FOOTNOTES = "①②③④⑤⑥"

# Agency names of local (provincial and city) plans. They are not in the registry: the
# pipeline keeps them as printed, so the printed name is the truth.
PROVINCIAL_AGENCIES = (
    "省知识产权局", "省发展改革委", "省科技厅", "省工业和信息化厅", "省教育厅", "省财政厅", "省商务厅",
    "省市场监管局", "省农业农村厅", "省司法厅", "省公安厅", "省文化和旅游厅", "省人力资源社会保障厅",
    "省林业局", "省版权局", "省委宣传部", "省高级人民法院", "省人民检察院", "省地方金融监管局", "省税务局",
    "省通信管理局",
)
CITY_AGENCIES = (
    "市知识产权局", "市发展改革委", "市科技局", "市委组织部", "市人力资源和社会保障局", "市财政局", "市教育局",
    "市商务局", "市市场监管局", "市农业农村局", "市司法局", "市公安局", "市委宣传部", "市中级人民法院",
)

# Leads national plans put first, with weights (the IP office leads most boxes).
NATIONAL_LEADS = (
    ("cnipa", 8), ("samr", 2), ("miit", 2), ("moa_rural", 1), ("most", 1), ("ncac", 1), ("moa", 1),
    ("mofcom", 1), ("moe", 1), ("ndrc", 1), ("cpc_propaganda", 1), ("saic", 1), ("aqsiq", 1),
)
# Single words of the vocabulary (the topics above are compounds of these): a line break
# inside one of them is a word broken across lines.
SPLIT_WORDS = (
    "知识产权", "商业秘密", "地理标志", "植物新品种", "集成电路", "布图设计", "专利", "商标", "版权", "数据",
    "导航", "公共服务", "运营", "金融", "质押融资", "维权援助", "人才", "文化", "海外", "标准", "传统知识",
    "遗传资源", "科技成果", "转化", "产业", "信息", "代理", "鉴定", "仲裁", "调解", "证券化", "保险", "企业",
    "管理", "大数据", "密集型", "体系", "机制", "政策", "平台", "中心", "服务", "保护", "建设", "制度", "能力",
    "水平", "质量", "国际", "创新", "示范", "审查", "监测", "预警", "宣传", "培训", "基础设施", "示范区",
)

# Bodies that plans of this family name most often as participants (registry ids);
# the others in the registry are drawn too, less often.
COMMON_PARTICIPANTS = (
    "cnipa", "samr", "miit", "most", "moe", "mofcom", "mps", "moj", "spc", "spp", "mof", "pboc", "cbirc",
    "nfra", "csrc", "ncac", "cpc_propaganda", "cac", "ndrc", "moa_rural", "nfga", "gacc", "mohrss", "cas",
    "cast", "mct", "nrta", "sasac", "mfa", "mca", "cpc_org", "moa", "saic", "aqsiq", "cbrc", "circ", "sac",
)

# The residue alphabet: glyphs that keep their Unicode mapping when a PDF font loses the
# rest (the corpus shows 产 创 公 主 传 各 优 价 决 向 应 则 司 势 养 …). Each damaged
# document draws its own subset.
RESIDUE_POOL = "产创公主传各优价决向应则司势养央个伍宽冒临仍库之史伟尚云博"
RESIDUE_MARKS = ("“ ”", "、", ".", "%", "“", "”")

# ---------------------------------------------------------------- real negatives
# Text that looks like damage to a rule tuned on damage but is sound plan text. The
# generator prints it; its truth is that it survives repair unchanged. Each kind is
# named so false repairs can be counted per kind. Placeholders: {t} topic, {o} object,
# {v} verb, {b} book, {c} campaign, {n} whole number, {x} decimal, {y0}/{y1} years.
NEGATIVE_SENTENCES = {
    # Units written with a slash between two characters (件/套), or between letters.
    "slash_unit": (
        "{t}服务收费标准不高于{n}元/件。",
        "年检验检测能力达到{n}万件/套。",
        "配备{t}检测设备{n}件/套。",
        "单位产值能耗降至{x}吨标准煤/万元。",
        "园区工业用电价格降至{x}元/千瓦时。",
        "培训{t}从业人员{n}万人/次。",
        "危险废物处置收费不高于{n}元/吨。",
        "设计时速{n}km/h，服务{t}集聚区。",
        "年产能达到{n}万发/吨。",
    ),
    # School years, plan periods and ratios written with a slash or a colon; full dates.
    "date_ratio": (
        "对照{y0}/{y1}年度目标开展{t}评估。",
        "{t}审查周期压缩1/3以上。",
        "{t}公共服务网点覆盖2/3以上的县域。",
        "于{y1}年6月30日前完成{o}建设。",
        "地方财政按1:1比例配套{t}专项资金。",
        "{y0}/{y1}学年开设{t}课程。",
    ),
    # Latin letters and digits inside Chinese sentences.
    "latin": (
        "{t}相关产业增加值占GDP比重达到{x}%。",
        "全社会R&D经费投入年均增长{n}%以上。",
        "推动5G、IPv6等新型基础设施与{o}融合发展。",
        "PM2.5平均浓度下降{n}%。",
        "支持企业通过PCT、马德里体系和海牙体系提交国际申请。",
        "建设{t}公共服务App和API接口。",
        "参与ISO/IEC国际标准制定{n}项。",
    ),
    # Book titles and quotations.
    "quoted_title": (
        "贯彻落实《{b}》，{v}{o}。",
        "开展“{c}”{t}专项行动。",
        "制定《{t}保护指南》和《{t}合规指引》。",
        "推进“互联网+{t}”服务。",
        "深入实施“{c}”工程，打造“{t}”品牌。",
    ),
}
# Tables printed inside a box: a header row and short cells (类别	重点任务).
BOX_TABLE_HEADERS = (("类别", "重点任务"), ("领域", "建设目标"), ("序号", "项目", "主要内容"), ("序号", "任务", "完成时限"))
BOX_TABLE_CATEGORIES = ("专利", "商标", "版权", "地理标志", "商业秘密", "数据", "标准", "人才", "服务", "金融", "运营", "执法")
BOX_TABLE_SHORT_CELLS = ("{n}个", "{n}项", "{n}家", "全覆盖", "—", "{y1}年", "{y1}年底前", "持续推进")

# ---------------------------------------------------------------- held-out damage
# Verbs the held-out damage swaps in near-duplicate sentences. Written here, never taken
# from the repair rules' data: a rule is measured on swaps it was not told about.
HELDOUT_SWAP_GROUPS = (
    ("打造", "培育"),
    ("规范", "落实"),
    ("拓展", "扩大"),
    ("夯实", "巩固"),
    ("探索", "研究"),
    ("优化", "改进"),
    ("创新", "改革"),
    ("保障", "维护"),
)
