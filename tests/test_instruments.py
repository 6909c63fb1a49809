"""Instrument classes of measures, on measures quoted from the seeds.

Each text is the measure as the segmentation step hands it over (heading at its start, label
cut off, whitespace between CJK characters removed), copied from the seed file and line named
above it. Each expectation was read off the codebook in CONTRACT.md by hand and, where the
measure is in shared/eval/gold-dev/instruments.jsonl, agrees with the gold label or one of its
accepted alternates.
"""

import csv
import json
import os
import subprocess
import sys
import unicodedata
from functools import cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import ahocorasick_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import instruments
from pipeline.extract.instruments import aggregate_instrument, classify_instrument
from pipeline.extract.literals import required_literals


class Measure(NamedTuple):
    source_file: str
    line: int
    heading: str | None
    text: str

    def classify(self, amounts: list[dict] | None = None) -> tuple:
        return classify_instrument(self.heading, self.text, amounts or [])


# 003_b7f4ec8c69ce3500.txt, line 27. Post-subsidies and interest subsidies paid from
# the provincial special funds: supply/funding (gold; technology is only the object funded).
FUNDING_POST_SUBSIDY = Measure(
    '003_b7f4ec8c69ce3500.txt', 27, None,
    (
        '对企业承接高校、科研机构且属于战略性新兴产业的具有有效职务发明专利的科技成果在省'
        '内成功实施转化的，根据产出效率，按企业购买研发服务合同交易额的10%以内给予后补'
        '助或贷款贴息支持，最高不超过100万元，所需资金在省科技专项资金中安排（责任单位'
        '：科技厅）；对企业转化的项目年度投资总额或年度新增产值达到2000万元以上的，按'
        '其年度投资总额或年度新增产值的5%给予最高不超过200万元的项目资金补助，所需资'
        '金在省工业发展专项资金中安排（责任单位：省经济和信息化委）。'
    ),
)

# 002_144f457913c26fac.txt, line 368. Talent catalogue, bringing in and training talent:
# supply/talent.
TALENT_PROGRAMME = Measure(
    '002_144f457913c26fac.txt', 368, '强化人才支撑。',
    (
        '强化人才支撑。编制重点产业急需紧缺人才目录,开辟专门通道,重点引进一批带项目、带'
        '成果的人才团队。依托高校、科研院所,加快培养一批重点领域创新领军人才和细分领域专'
        '业人才。完善人才评价机制,提升人才服务保障水平。(责任单位:省人才办、人力资源社'
        '会保障厅,省发展改革委、经济和信息化厅、教育厅、科技厅)'
    ),
)

# 002_144f457913c26fac.txt, line 65. Provincial key S&T projects and key-technology research:
# supply/technology.
TECHNOLOGY_FRONTIER = Measure(
    '002_144f457913c26fac.txt', 65, '加速突破前沿技术。',
    (
        '加速突破前沿技术。实施创新驱动突破引领行动,抢占前沿技术制高点。聚焦集成电路与新'
        '型显示、工业软件、航空与燃机、轨道交通、生命健康等重点领域,实施省级重大科技专项'
        '。加强太赫兹通信、新型存储、第六代移动通信、脑科学与类脑智能、激光应用等技术攻关'
        ',争取原创性突破,强化前沿技术、先进技术的引领支撑作用。(责任单位:科技厅,省发'
        '展改革委、经济和信息化厅。逗号前为牵头单位,下同)'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 761. Building an air cargo hub and airports: supply/infrastructure.
INFRASTRUCTURE_AIR_HUB = Measure(
    '003_b7f4ec8c69ce3500.txt', 761, '建设国内第四大国际航空客货运枢纽。',
    (
        '建设国内第四大国际航空客货运枢纽。建设干支结合、布局合理、分工明确的民用机场布局'
        '体系；加快推进成都新机场规划建设工作，尽快实现双机场运行；巩固东亚、东南亚、南亚'
        '等成熟市场，突破北美、西欧等重点市场，拓展中东、澳洲、俄罗斯等新兴市场，建设以蓉'
        '欧为核心、蓉加美、蓉亚为支撑的枢纽航空系统，实现成都与全球主要经济体的直通互联。'
        '（责任单位：省发展改革委、省政府口岸与物流办、民航西南地区管理局、成都市人民政府'
        '）'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 403. Public service platforms government builds:
# supply/public_service.
PUBLIC_SERVICE_PLATFORMS = Measure(
    '003_b7f4ec8c69ce3500.txt', 403, '大力发展公共服务平台。',
    (
        '大力发展公共服务平台。到2017年，建成天府网交会、农产品公共服务平台、产业链公'
        '共服务平台等10个以上公共服务平台，促进品牌打造，带动产品销售，提升社会影响，促'
        '进政府服务方式转变。（责任单位：商务厅、省发展改革委、省经济和信息化委、科技厅、'
        '财政厅、人力资源社会保障厅、国土资源厅、农业厅、省国税局、省地税局、省工商局、省'
        '质监局、省食品药品监管局、省邮政管理局、成都海关、四川出入境检验检疫局、人行成都'
        '分行、省政府金融办）'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 943. Drawing up logistics plans: environment/planning.
PLANNING_LOGISTICS_PLANS = Measure(
    '003_b7f4ec8c69ce3500.txt', 943, '加强规划引导。',
    (
        '加强规划引导。编制《四川省物流业中长期发展规划（2013—2020年）》、《四川'
        '省物流园区发展规划》、《四川省城乡配送中心网点规划》等规划并将其纳入城市总体规划'
        '和土地利用规划，抓好各区域、各层级之间规划的布局与衔接。（责任单位：省发展改革委'
        '、省政府口岸与物流办）'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 155. Loan risk compensation, re-guarantee fund:
# environment/finance.
FINANCE_RISK_COMPENSATION = Measure(
    '003_b7f4ec8c69ce3500.txt', 155, None,
    (
        '健全风险补偿机制，省设立小微企业信用贷款风险补偿金，对银行类金融机构发放小微企业'
        '信用贷款产生的贷款损失给予一定比例的风险补偿。争取国家支持，建立省级再担保专项资'
        '金，对中小企业融资担保予以支持（责任单位：财政厅、省政府金融办、人行成都分行、四'
        '川银监局、省经济和信息化委）。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 231. Heading forbids collecting taxes ahead of time:
# environment/tax (gold).
TAX_NO_EXCESS_TAX = Measure(
    '003_b7f4ec8c69ce3500.txt', 231, '严格禁止地方和部门以任何方式征收企业“过头税”。',
    (
        '严格禁止地方和部门以任何方式征收企业“过头税”。中央和省财政专项项目预算下达市（'
        '州）、县（市、区）后，市（州）、县（市、区）应及时落实预算执行主体，除因项目发生'
        '变化外，应在1个月内启动预算执行并拨付资金〔责任单位：财政厅、省国税局、省地税局'
        '，各市（州）人民政府〕。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 96. Motorway toll and rail freight discounts, a fee reduction:
# environment/tax (gold).
TAX_TOLL_DISCOUNT = Measure(
    '003_b7f4ec8c69ce3500.txt', 96, None,
    (
        '对正常装载、合法运输车辆的高速公路通行费，按计重收费标准实行20%以上的优惠（责'
        '任单位：交通运输厅、省发展改革委、财政厅）。按照中国铁路总公司、成都铁路局运价下'
        '浮管理相关办法，给予中小微企业价格优惠，降低企业物流成本（责任单位：成都铁路局）'
        '。'
    ),
)

# 002_144f457913c26fac.txt, line 379. Inclusive, prudent supervision: environment/regulation.
REGULATION_SUPERVISION = Measure(
    '002_144f457913c26fac.txt', 379, '包容审慎监管。',
    (
        '包容审慎监管。适应新经济发展需求,探索建立信用监管、弹性监管、触发式监管新机制,'
        '开展宣传引导、信用承诺、行政提示等柔性监管,推动由事后处罚式监管向事前指导性监管'
        '转变。落实法律法规“非禁即入”,在严守安全环保底线的前提下为新经济发展留出更大空'
        '间。(责任单位:省发展改革委、经济和信息化厅、科技厅、司法厅、商务厅、省卫生健康'
        '委、省市场监管局按照职责分工负责)'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 951. Drafting local standards: environment/standards.
STANDARDS_LOGISTICS = Measure(
    '003_b7f4ec8c69ce3500.txt', 951, '加强标准引领。',
    (
        '加强标准引领。制订《四川省物流企业分类及分级标准》、《四川省现代物流示范地区（园'
        '区、企业）建设标准》、《四川省社会物流统计指标体系及方法》等地方标准，大力实施示'
        '范工程，引领我省现代物流业加快发展。（责任单位：省质监局、省政府口岸与物流办）'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 90. Direct power purchase and electricity-fee subsidies for parks:
# environment/factor_supply (gold).
FACTOR_DIRECT_POWER = Measure(
    '003_b7f4ec8c69ce3500.txt', 90, None,
    (
        '对全省重点产业园区实施直购电试点，对试点园区供电设施基本电费进行补助，并对园区相'
        '应供电设施改造进行补助。所需补助资金在外送电价差资金中安排（责任单位：省经济和信'
        '息化委、省发展改革委）。'
    ),
)

# 002_144f457913c26fac.txt, line 454. Statistics and monitoring of the new economy:
# environment/organisation.
ORGANISATION_STATISTICS = Measure(
    '002_144f457913c26fac.txt', 454, '完善统计监测。',
    (
        '完善统计监测。建立新经济统计调查体系,开展新经济总量、增速核算,强化运行监测分析'
        ',及时掌握新经济发展情况和发展规律。(责任单位:省统计局、国家统计局四川调查总队'
        ',省发展改革委、经济和信息化厅)'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 39. Subsidy to the buyer of first-of-its-kind equipment:
# demand/procurement by the codebook (gold).
PROCUREMENT_FIRST_UNIT = Measure(
    '003_b7f4ec8c69ce3500.txt', 39, None,
    (
        '对企业研发并取得自主知识产权、价值在100万元以上且具有产业化前景的省内首台（套'
        '）装备应用产品，一次性给予购买应用单位20%、最高不超过200万元的补助；对国内'
        '首台（套）装备应用产品，一次性给予购买应用单位30%、最高不超过300万元的补助'
        '。所需资金在省工业发展专项资金中安排（责任单位：省经济和信息化委）。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 65. Government purchasing reserved for small firms:
# demand/procurement.
PROCUREMENT_GOVERNMENT = Measure(
    '003_b7f4ec8c69ce3500.txt', 65, None,
    (
        '制定四川省地方名优产品推荐目录（责任单位：省经济和信息化委、商务厅、省质监局、省'
        '工商局）。在预算资金安排上贯彻落实并鼓励各级机关、事业单位、行业系统、国有企业优'
        '先采购、购买省内产品〔责任单位：各市（州）人民政府，财政厅、省政务服务和资源交易'
        '服务中心〕。各地、各部门年度政府采购项目和政府投资项目预算总额30%的份额，专门'
        '面向中小微企业采购〔责任单位：各市（州）人民政府，财政厅、省政务服务和资源交易服'
        '务中心〕。在政府采购评审中，对同质同价情况下全部使用省内产品的投标单位，在评标环'
        '节予以优先考虑，对小微企业产品可视不同行业情况给予6%—10%的价格扣除；鼓励小'
        '微企业与大中型企业组成联合体共同参加采购投标，其中小微企业占联合体份额达到30%'
        '以上的可给予联合体2%—3%的价格扣除〔责任单位：各市（州）人民政府，财政厅、省'
        '政务服务和资源交易服务中心〕。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 504. Demonstration cities, bases and enterprises:
# demand/demonstration.
DEMONSTRATION_EC = Measure(
    '003_b7f4ec8c69ce3500.txt', 504, None,
    (
        '深入实施电子商务产业示范引领工程，推动市（州）和企业争创国家级示范城市、示范基地'
        '、示范企业。扎实做好省级电子商务示范企业、基地和农村商务信息服务县工作，带动应用'
        '发展。（责任单位：省发展改革委、商务厅、省经济和信息化委、科技厅、财政厅、人力资'
        '源社会保障厅、国土资源厅、农业厅、省国税局、省地税局、省工商局、省质监局、省食品'
        '药品监管局、省邮政管理局、成都海关、四川出入境检验检疫局、人行成都分行、省政府金'
        '融办）'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 415. E-commerce as a direct sales channel: demand/market.
MARKET_DIRECT_SALES = Measure(
    '003_b7f4ec8c69ce3500.txt', 415, None,
    (
        '实施“全企入网”工程，促进“四川造”、“天虎云商”等成为我省工业企业运用电子商务'
        '的重要直销渠道，提升制造业行业发展水平。（责任单位：省经济和信息化委、省发展改革'
        '委、财政厅、商务厅）'
    ),
)

# 004_8dbb09b12177f42d.txt, line 66. Industrial land supply (not in the gold; judged by hand):
# environment/factor_supply.
FACTOR_INDUSTRIAL_LAND = Measure(
    '004_8dbb09b12177f42d.txt', 66, '加强工业用地保障。',
    (
        '加强工业用地保障。优化国土空间布局，鼓励划定工业用地保护线。确保合理工业用地规模'
        '，原则上每年的国有建设用地供应计划中，工业用地面积不低于出让总规模的30%。建立'
        '完善制造业用地全生命周期管理制度，鼓励工业用地“提容增效”，完善低效用地盘活利用'
        '和退出机制，支持各地将盘活的企业用地优先用于发展先进制造业。在符合控制性详细规划'
        '有关要求的前提下，企业在现有工业用地上新建、扩建生产性用房，提高容积率的，不再增'
        '收土地价款。探索工业项目“标准地”改革和工业用地“带方案出让”，缩短工业项目拿地'
        '开工周期。'
    ),
)

# 004_8dbb09b12177f42d.txt, line 26. Approval reform, market access, business environment (by hand):
# environment/regulation.
REGULATION_BUSINESS_ENV = Measure(
    '004_8dbb09b12177f42d.txt', 26, '优化营商环境。',
    (
        '优化营商环境。加快转变政府职能，推动简政放权，最大限度取消、下放行政审批事项，减'
        '少对企业生产经营和投资活动的干预，进一步降低制度性交易成本。全面实施“不见面审批'
        '”和“最多跑一次”，精减项目审批和报建事项，压缩审批时限。简化和规范外商投资市场'
        '准入程序，全面实施市场准入前国民待遇加负面清单制度，推进“一口办理”，打造法治化'
        '、国际化、便利化营商环境。实施《四川省企业和企业家权益保护条例》，建立健全统一的'
        '企业维权服务平台，完善企业合法权益受损的补偿救济机制。鼓励扩大民间投资，放宽市场'
        '准入，实施负面清单管理，消除民间资本依法进入相关战略重点领域的各种隐性壁垒。落实'
        '涉企行政事业性收费目录清单，加强违规收费治理。对制造业重大项目试行环评预审，按相'
        '关规定实施环评豁免管理一批、承诺审批一批、加快推进一批“三个一批”管理。'
    ),
)

# 001_1acc3666f60ddf6e.txt, line 127. Talent programmes, bringing in experts (by hand):
# supply/talent.
TALENT_HIGHLAND = Measure(
    '001_1acc3666f60ddf6e.txt', 127, '建设西部创新人才高地。',
    (
        '建设西部创新人才高地。以“天府英才”工程为统揽，实施“千人计划”“天府万人计划”'
        '“天府高端引智计划”“留学人员回国服务四川计划”，完善海外优秀人才引进政策措施，'
        '加快集聚培养高精尖缺人才和高水平创新团队。创设院士顾问、天府学者、特聘专家等制度'
        '，推进双向兼职、联合聘用、交叉任职、技术入股、人才驿站等柔性引才用才模式。常态化'
        '从“双一流”高校定向选调引进紧缺专业优秀毕业生。建立院士专家合作委员会，建设院士'
        '产业园、院士专家工作站和技术转化中心，优先与院士团队签署实施合作项目。支持建设海'
        '外研发及孵化中心、留学人员创业园和各类产业技术研究院。出台重点企业引育用急需紧缺'
        '本科生、硕博士和技能人才的支持政策。构建现代职业教育体系，培育一批高技能人才。全'
        '面推广企业新型学徒制，培养一批“天府工匠”。出台体现创新质量、贡献、绩效的科技人'
        '员激励政策。开展打通党政人才、专业技术人才、企业经营管理人才流动通道试点。推行“'
        '天府英才卡”制度，完善人才服务保障体系。'
    ),
)

# 004_8dbb09b12177f42d.txt, line 57. Trade fairs, product promotion, e-commerce sales (by hand):
# demand/market.
MARKET_FAIRS = Measure(
    '004_8dbb09b12177f42d.txt', 57, '积极融入国内经济大循环。',
    (
        '积极融入国内经济大循环。鼓励各地为氢能源、自动驾驶、智能制造、大数据、新制式轨道'
        '交通、无人机等提供新技术新业态新模式应用场景，创造市场需求。主动对接川藏铁路等重'
        '大工程项目、新基建等重点领域，着力提升供给端水平，拓展市场需求。充分发挥西博会、'
        '科博会、中国国际进口博览会、中国进出口商品交易会等综合性展会功能，提升四川制造业'
        '的吸引力和国际影响力。聚焦重点领域、优势产业，多渠道、多层次开展“四川造”产品推'
        '介、协作配套、产能对接等“手拉手”活动。鼓励轻工纺织、食品、电子等终端消费品生产'
        '企业与知名电商平台深度合作，组织行业性、区域性线上产品展销，拓展“四川造”市场。'
    ),
)

# 002_144f457913c26fac.txt, line 18. 指导思想: no instrument.
NONE_GUIDING_IDEOLOGY = Measure(
    '002_144f457913c26fac.txt', 18, '指导思想',
    (
        '指导思想以习近平新时代中国特色社会主义思想为指导,全面贯彻党的十九大和十九届历次'
        '全会精神,落实省委省政府“一干多支、五区协同”“四向拓展、全域开放”决策部署,深'
        '入实施创新驱动发展战略,以深化供给侧结构性改革为主线,以新一代信息技术与先进制造'
        '业融合、先进制造业与现代服务业融合为主要路径,加快发展以新技术、新产业、新业态、'
        '新模式为特征的新经济,培育壮大“专精特新”市场主体,为经济高质量发展注入新活力、'
        '增添新动能。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 603. Significance, no heading (…是…的战略抉择): no instrument.
NONE_SIGNIFICANCE = Measure(
    '003_b7f4ec8c69ce3500.txt', 603, None,
    (
        '发展现代物流业是改善我省综合投资环境和着眼长远发展的战略抉择。我省地处内陆，不沿'
        '边、不靠海，物流成本居高不下。发展现代物流业可将物流优势转化为竞争优势，将通道优'
        '势转化为产业优势，有效改善我省综合投资环境，解决我省经济社会发展的瓶颈。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 627. A trend (…是必然趋势): no instrument.
NONE_TREND = Measure(
    '003_b7f4ec8c69ce3500.txt', 627, '物流市场资源整合是必然趋势。',
    (
        '物流市场资源整合是必然趋势。企业生产经营模式的变革将使从事单一物流服务的传统物流'
        '企业难以接到订单，特别是“营改增”税收政策的实施将使中小物流企业越来越难以生存，'
        '物流市场资源整合是必然趋势，物流平台经济将陆续出现。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 652. Current situation with past statistics, no heading:
# no instrument.
NONE_SITUATION = Measure(
    '003_b7f4ec8c69ce3500.txt', 652, None,
    (
        '物流业规模快速增长，但物流成本居高不下。2013年全省社会物流总额达到51284'
        '.4亿元，物流业增加值占服务业比重由2005年的7.7%提升到2013年的15.'
        '9%；全省社会物流总费用4970.1亿元，占GDP比重为18.9%，比全国平均水'
        '平高0.9个百分点，比山东、江苏等沿海发达省份高3个百分点。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 1056. A fact heading and loan statistics: no instrument, although
# the paragraph is full of finance words.
NONE_STATISTICS = Measure(
    '003_b7f4ec8c69ce3500.txt', 1056, '银行信贷持续增长。',
    (
        '银行信贷持续增长。2014年6月末，全省金融机构各项贷款余额3.3万亿元，较年初'
        '新增2721.7亿元，同比多增250.4亿元，贷款余额同比增长15.6%，高于同'
        '期全国平均水平1.6个百分点。其中，人民币贷款余额3.2万亿元，同比增长15.4'
        '%，在全国排名第7位，在西部12个省（区、市）中占比为20.63%。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 253. A notice's transmittal paragraph: no instrument.
NONE_TRANSMITTAL = Measure(
    '003_b7f4ec8c69ce3500.txt', 253, None,
    (
        '经省政府同意，现将《四川省电子商务业发展工作推进方案》、《四川省现代物流业发展工'
        '作推进方案》、《四川省现代金融业发展工作推进方案》、《四川省科技服务业发展工作推'
        '进方案》、《四川省养老健康服务业发展工作推进方案》印发你们，请结合实际认真组织实'
        '施。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 1671. A list of attachments: no instrument.
NONE_ATTACHMENTS = Measure(
    '003_b7f4ec8c69ce3500.txt', 1671, None,
    '附件：1.四川省养老服务业发展工作推进方案',
)

# 004_8dbb09b12177f42d.txt, line 7. Preamble ending 现提出如下意见: no instrument.
NONE_PREAMBLE = Measure(
    '004_8dbb09b12177f42d.txt', 7, None,
    (
        '制造业是实体经济的主体，是立国之本、强国之基。推动全省制造业高质量发展，是成渝地'
        '区双城经济圈建设的重要内容，是巩固国家战略后方的必然要求，是构建西部高质量发展重'
        '要增长极的有力支撑。为把我省建设成为在全国有重要影响力的先进制造强省，推动治蜀兴'
        '川再上新台阶，现提出如下意见。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 1592. A leading group; agency names (省统计局, 省知识产权局,
# 省政府金融办) stand outside any responsibility clause: environment/organisation.
ORGANISATION_GROUP = Measure(
    '003_b7f4ec8c69ce3500.txt', 1592, '加强组织领导。',
    (
        '加强组织领导。建立省政府分管领导任组长的四川省科技服务业发展推进小组，由科技厅牵'
        '头，省发展改革委、省经济和信息化委、财政厅、住房城乡建设厅、商务厅、文化厅、省质'
        '监局、省统计局、省知识产权局、省政府金融办等相关部门共同参与，加强组织协调工作。'
    ),
)

# 000_a0bf228895fc49c4.txt, line 120. Article: the shift to post-subsidies (事后奖补) and the
# funds behind it: supply/funding (by hand).
ARTICLE_POST_SUBSIDY = Measure(
    '000_a0bf228895fc49c4.txt', 120, None,
    (
        '二是由前端转向后端。坚持结果导向，针对设备更新、技术改造、项目引进、成果转化等项'
        '目，主要根据整体推进效果，据实据效、分类分档予以事后奖补，有效实施激励引导。如省'
        '财政厅统筹工业发展资金等30亿元，加快推进工业领域大规模技术改造，对设备升级、智'
        '改数转、绿色低碳、安全生产、微技改等领域中符合条件的企业项目给予支持。统筹工业发'
        '展资金10亿元、财政新增预算20亿元，支持工业领域设备更新和技术改造。目前，省级'
        '财政已预拨15亿元，对2024年符合条件的455个入库项目给予支持。泸州市在全省'
        '率先开展面向中小企业的免费数字化诊断服务，结合《四川省制造业智能化改造数字化转型'
        '评价指标体系总体框架》等相关技术标准，制定《数字化转型实施方案》，泸州老窖入选2'
        '023年“数字领航”示范企业；泸州老窖智能化包装中心供应链管理数字化升级项目、宏'
        '图智能物流多模态工业物流智慧园区平台2个项目入选2024年全省制造业智能化改造数'
        '字化转型项目；泸州裕同包装生产车间数字化智能化改造升级等23个项目入选2024年'
        '全省制造业智能化改造数字化转型项目，获得奖补资金8658万元。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 1588. Special statistics; its clause names 省统计局:
# environment/organisation.
ORGANISATION_SPECIAL_STATISTICS = Measure(
    '003_b7f4ec8c69ce3500.txt', 1588, None,
    (
        '加强科技服务业统计体系建设，对科技服务业进行专项统计。（责任单位：省统计局、科技'
        '厅）'
    ),
)

# 002_144f457913c26fac.txt, line 436. Awards and post-subsidies from budget funds: supply/funding
# (gold).
FUNDING_FISCAL_SUPPORT = Measure(
    '002_144f457913c26fac.txt', 436, '加大财税支持。',
    (
        '加大财税支持。落实支持创业投资、科技成果转化、研发费用加计扣除等政策。用好省级发'
        '展改革、工业、科技、商务等领域资金,对新经济领域技术研发、重大项目和推广应用给予'
        '积极支持。发挥政府性产业基金作用,引导各类社会资金、金融资本投向新经济重点领域,'
        '支持先导型、牵引性重大产业项目落地实施。对新认定的省级新经济示范企业,给予一次性'
        '不超过100万元资金奖励。对首次获得备案的四川省瞪羚企业,给予一次性不超过80万'
        '元的后补助经费支持。(责任单位:财政厅,省发展改革委、经济和信息化厅、科技厅、商'
        '务厅、四川省税务局)'
    ),
)

# 002_144f457913c26fac.txt, line 422. Heading 强化统筹协调; the body also names plans:
# environment/organisation (gold).
ORGANISATION_COORDINATION = Measure(
    '002_144f457913c26fac.txt', 422, '强化统筹协调。',
    (
        '强化统筹协调。省直有关部门(单位)要积极落实加快新经济发展政策措施,把推进新经济'
        '发展情况作为经济高质量发展的评价指标。各地要结合实际制定具体实施方案,把发展新经'
        '济作为推进落实《成渝地区双城经济圈建设规划纲要》和“十四五”规划重要举措,加大新'
        '经济培育支持力度。(责任单位:经济和信息化厅、省发展改革委、科技厅、商务厅、省市'
        '场监管局等部门按照职责分工负责)'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 1609. Drafting a support policy for the 科技服务业 sector:
# environment/planning, not public_service.
PLANNING_POLICY_STUDY = Measure(
    '003_b7f4ec8c69ce3500.txt', 1609, '加强政策研究。',
    (
        '加强政策研究。参照国家即将下发的《关于加快科技服务业发展的若干意见》，制定我省支'
        '持政策措施，大力推进我省科技服务业发展。'
    ),
)

# 003_b7f4ec8c69ce3500.txt, line 396. A dated goal (到2017年…打造50家平台); its clause names
# 省食品药品监管局: environment/planning (accepted by the gold).
PLANNING_PLATFORM_GOAL = Measure(
    '003_b7f4ec8c69ce3500.txt', 396, None,
    (
        '提高以中药材天地网、九正建材网、文轩在线为代表的垂直平台带动辐射作用与竞争力。到'
        '2017年，在装备制造、电子信息、建材家居、医药、服装、食品（川酒、川茶）、餐饮'
        '旅游等行业打造50家优势垂直平台。（责任单位：省经济和信息化委、商务厅、省发展改'
        '革委、财政厅、农业厅、省旅游局、省食品药品监管局、省邮政管理局）'
    ),
)



# --- one real measure per subtype, and the null class ---------------------------------------

SUBTYPE_CASES = [
    (FUNDING_POST_SUBSIDY, "supply", "funding", "后补助"),
    (FUNDING_FISCAL_SUPPORT, "supply", "funding", "资金奖励"),
    (TALENT_PROGRAMME, "supply", "talent", "人才"),
    (TALENT_HIGHLAND, "supply", "talent", "引智"),
    (TECHNOLOGY_FRONTIER, "supply", "technology", "技术攻关"),
    (INFRASTRUCTURE_AIR_HUB, "supply", "infrastructure", "枢纽"),
    (PUBLIC_SERVICE_PLATFORMS, "supply", "public_service", "公共服务平台"),
    (PLANNING_LOGISTICS_PLANS, "environment", "planning", "规划"),
    (PLANNING_POLICY_STUDY, "environment", "planning", "政策措施"),
    (FINANCE_RISK_COMPENSATION, "environment", "finance", "风险补偿"),
    (TAX_NO_EXCESS_TAX, "environment", "tax", "过头税"),
    (TAX_TOLL_DISCOUNT, "environment", "tax", "通行费"),
    (REGULATION_SUPERVISION, "environment", "regulation", "监管"),
    (REGULATION_BUSINESS_ENV, "environment", "regulation", "营商环境"),
    (STANDARDS_LOGISTICS, "environment", "standards", "标准"),
    (FACTOR_DIRECT_POWER, "environment", "factor_supply", "直购电"),
    (FACTOR_INDUSTRIAL_LAND, "environment", "factor_supply", "用地"),
    (ORGANISATION_STATISTICS, "environment", "organisation", "统计"),
    (ORGANISATION_COORDINATION, "environment", "organisation", "统筹协调"),
    (PROCUREMENT_FIRST_UNIT, "demand", "procurement", "首台(套)"),
    (PROCUREMENT_GOVERNMENT, "demand", "procurement", "政府采购"),
    (DEMONSTRATION_EC, "demand", "demonstration", "示范"),
    (MARKET_DIRECT_SALES, "demand", "market", "直销"),
    (MARKET_FAIRS, "demand", "market", "展会"),
]


@pytest.mark.parametrize(
    ("measure", "instrument", "subtype", "cue"),
    SUBTYPE_CASES,
    ids=[f"{m.source_file[:3]}:{m.line}-{s}" for m, _, s, _ in SUBTYPE_CASES],
)
def test_measure_gets_its_codebook_class(measure, instrument, subtype, cue):
    got_instrument, got_subtype, evidence = measure.classify()
    assert (got_instrument, got_subtype) == (instrument, subtype)
    assert cue in evidence.split("|")


def test_every_codebook_subtype_is_tested():
    with resources.files("pipeline.lexicons").joinpath("instrument_codebook.csv").open(
        encoding="utf-8"
    ) as fh:
        codebook = {(row["instrument"], row["subtype"]) for row in csv.DictReader(fh)}
    assert len(codebook) == 15
    assert {(i, s) for _, i, s, _ in SUBTYPE_CASES} == codebook


NONE_CASES = [
    NONE_GUIDING_IDEOLOGY,
    NONE_SIGNIFICANCE,
    NONE_TREND,
    NONE_SITUATION,
    NONE_STATISTICS,
    NONE_TRANSMITTAL,
    NONE_ATTACHMENTS,
    NONE_PREAMBLE,
]


@pytest.mark.parametrize(
    "measure", NONE_CASES, ids=[f"{m.source_file[:3]}:{m.line}" for m in NONE_CASES]
)
def test_item_without_instrument_gets_no_class(measure):
    assert measure.classify() == (None, None, None)


def test_statistics_paragraph_is_null_although_full_of_finance_words():
    # Same words, stated as a measure instead of a fact, do make a finance instrument.
    assert NONE_STATISTICS.classify() == (None, None, None)
    measure = "引导金融机构加大信贷投放，增加小微企业贷款。"
    instrument, subtype, _ = classify_instrument(None, measure, [])
    assert (instrument, subtype) == ("environment", "finance")


# Items that set out no instrument in other documents' forms (texts written for these tests):
# the headings an item stands under decide for principles, notes and glossaries; definitions,
# final and applicability provisions are recognised in the item's own text.


@pytest.mark.parametrize(
    ("heading", "text", "context"),
    [
        ("坚持创新驱动，转型升级。", "坚持创新驱动，转型升级。支持企业研发新技术，建设创新平台。", "基本原则"),
        (None, "“两新”：是指大规模设备更新和消费品以旧换新，支持企业技术改造。", "名词解释"),
        (None, "标记的26个指标为国家监测指标，由财务年报表获取。", "注："),
        (None, "供应链金融是指银行围绕核心企业提供融资服务。", ""),
        (None, "本办法所称专项资金，是指省级财政安排用于支持企业发展的资金。", ""),
        ("附则。", "附则。本意见自2024年1月1日起施行，有效期5年。", ""),
        (None, "本办法由省财政厅负责解释。", ""),
        (None, "各项奖励政策如与国家相关规定不一致的，按国家规定执行。", ""),
    ],
    ids=["principle", "glossary", "note", "definition", "terms", "final", "interpretation", "applicability"],
)
def test_items_that_set_out_no_instrument_in_any_document(heading, text, context):
    assert classify_instrument(heading, text, [], context) == (None, None, None)


def test_context_decides_only_with_its_own_cues():
    # The same principle outside a principles section is read by its words; words in the
    # context (a parent heading 加大财政支持) are not read as the item's cues.
    text = "坚持创新驱动，转型升级。支持企业研发新技术，建设创新平台。"
    assert classify_instrument(None, text, [], "")[:2] == ("supply", "technology")
    assert classify_instrument(None, "加强组织领导。", [], "加大财政支持")[:2] == ("environment", "organisation")


def test_an_assessment_indicator_defined_by_its_computation_is_organisation():
    text = "基本药物采购品种数占比定量计算方法：医院采购基本药物品种数/医院同期采购药物品种总数×100%。"
    assert classify_instrument("基本药物采购品种数占比", text, [])[:2] == ("environment", "organisation")


def test_a_permission_is_regulation():
    text = "允许区内企业开展高技术含量、高附加值的检测维修业务。"
    assert classify_instrument(None, text, [])[:2] == ("environment", "regulation")


# --- what the scoring looks at ----------------------------------------------------------------


def test_heading_outweighs_the_body():
    # The heading 强化统筹协调 decides; read as plain body text, the plan names in the body win.
    with_heading = ORGANISATION_COORDINATION.classify()
    as_body = classify_instrument(None, ORGANISATION_COORDINATION.text, [])
    assert with_heading[:2] == ("environment", "organisation")
    assert with_heading[2].startswith("统筹协调")
    assert as_body[:2] != ("environment", "organisation")


def test_responsibility_clause_is_not_read_as_cues():
    # Its clause names 省食品药品监管局: 监管 there must not make it regulation.
    instrument, subtype, evidence = PLANNING_PLATFORM_GOAL.classify()
    assert (instrument, subtype) == ("environment", "planning")
    assert "监管" not in evidence
    clause = ORGANISATION_SPECIAL_STATISTICS.text[ORGANISATION_SPECIAL_STATISTICS.text.index("（"):]
    assert clause == "（责任单位：省统计局、科技厅）"
    assert ORGANISATION_SPECIAL_STATISTICS.classify() == ("environment", "organisation", "统计")


def test_agency_names_outside_a_clause_are_masked():
    instrument, subtype, evidence = ORGANISATION_GROUP.classify()
    assert (instrument, subtype) == ("environment", "organisation")
    assert not {"统计", "知识产权", "金融"} & set(evidence.split("|"))


def test_sector_name_is_not_an_instrument():
    # 科技服务业 is the field the document is about, not a public service the item provides.
    _, _, evidence = PLANNING_POLICY_STUDY.classify()
    assert "科技服务" not in evidence


def test_full_width_and_ascii_punctuation_read_alike():
    table = str.maketrans({"（": "(", "）": ")", "，": ","})
    ascii_text = PROCUREMENT_FIRST_UNIT.text.translate(table)
    assert classify_instrument(None, ascii_text, []) == PROCUREMENT_FIRST_UNIT.classify()


def test_subsidy_and_award_amounts_speak_for_funding():
    # The amounts the amounts step finds in this article paragraph (text, value in yuan, role).
    amounts = [
        {"text": "30亿元", "min_cny": 3e9, "max_cny": 3e9, "role": "fund"},
        {"text": "10亿元", "min_cny": 1e9, "max_cny": 1e9, "role": "fund"},
        {"text": "20亿元", "min_cny": 2e9, "max_cny": 2e9, "role": "fund"},
        {"text": "15亿元", "min_cny": 1.5e9, "max_cny": 1.5e9, "role": "statistic"},
        {"text": "8658万元", "min_cny": 8.658e7, "max_cny": 8.658e7, "role": "award"},
    ]
    instrument, subtype, evidence = ARTICLE_POST_SUBSIDY.classify(amounts)
    assert (instrument, subtype) == ("supply", "funding")
    assert "奖补" in evidence.split("|")
    # amounts come last in the evidence, each role once
    assert evidence.endswith("|amount:fund|amount:award")


def test_amounts_of_unknown_role_are_ignored():
    weird = [{"role": "nonsense", "min_cny": 1.0, "max_cny": 1.0}, {"role": None}]
    assert TALENT_PROGRAMME.classify(weird) == TALENT_PROGRAMME.classify()


def test_text_without_any_cue_gets_no_class():
    assert classify_instrument(None, "", []) == (None, None, None)
    assert classify_instrument("其他", "其他。", []) == (None, None, None)


def test_tie_goes_to_the_class_listed_first_in_the_codebook():
    # 人才 (talent) and 研发 (technology) weigh the same; talent comes first in the codebook.
    assert classify_instrument(None, "人才与研发。", [])[:2] == ("supply", "talent")
    assert classify_instrument(None, "研发与人才。", [])[:2] == ("supply", "talent")


# --- aggregate_instrument ---------------------------------------------------------------------


def test_parent_takes_the_most_frequent_child_class():
    children = [
        ("supply", "technology", "研发"),
        ("environment", "planning", "规划"),
        ("supply", "technology", "攻关"),
        (None, None, None),
        ("supply", "technology", "实验室"),
    ]
    assert aggregate_instrument(children) == (
        "supply", "technology", "children: 3/5 supply/technology"
    )


def test_parent_tie_goes_to_the_first_child_class():
    first_planning = [("environment", "planning", "规划"), ("supply", "talent", "人才")]
    assert aggregate_instrument(first_planning)[:2] == ("environment", "planning")
    assert aggregate_instrument(first_planning[::-1])[:2] == ("supply", "talent")


def test_parent_of_unclassed_children_gets_no_class():
    assert aggregate_instrument([(None, None, None), (None, None, None)]) == (None, None, None)
    assert aggregate_instrument([]) == (None, None, None)


def test_parent_of_real_children():
    # 002_144f457913c26fac.txt, line 420: 九、保障措施 heads items (二十九) line 422,
    # (三十) line 436 and (三十一) line 454: coordination, fiscal support, statistics.
    children = [m.classify() for m in (ORGANISATION_COORDINATION, FUNDING_FISCAL_SUPPORT,
                                       ORGANISATION_STATISTICS)]
    assert aggregate_instrument(children) == (
        "environment", "organisation", "children: 2/3 environment/organisation"
    )


# --- determinism and the lexicon --------------------------------------------------------------

ALL_MEASURES = [m for m, *_ in SUBTYPE_CASES] + NONE_CASES + [
    ORGANISATION_GROUP,
    ARTICLE_POST_SUBSIDY,
    ORGANISATION_SPECIAL_STATISTICS,
    PLANNING_PLATFORM_GOAL,
]


def test_same_input_same_output_across_processes():
    # Hash randomisation must not change a class or the order of the evidence.
    script = (
        "import json, sys\n"
        "from pipeline.extract.instruments import classify_instrument\n"
        "cases = json.load(sys.stdin)\n"
        "print(json.dumps([classify_instrument(h, t, []) for h, t in cases], ensure_ascii=False))\n"
    )
    cases = json.dumps([[m.heading, m.text] for m in ALL_MEASURES], ensure_ascii=False)
    root = Path(__file__).resolve().parents[1]
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        run = subprocess.run(
            [sys.executable, "-c", script], input=cases, capture_output=True, text=True,
            env=env, check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    here = [list(m.classify()) for m in ALL_MEASURES]
    assert json.loads(outputs.pop()) == here


def test_every_codebook_class_has_cues_and_the_readme_lists_it():
    folder = resources.files("pipeline.lexicons")
    with folder.joinpath("instrument_cues.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with folder.joinpath("instrument_codebook.csv").open(encoding="utf-8") as fh:
        codebook = [(row["instrument"], row["subtype"]) for row in csv.DictReader(fh)]
    readme = folder.joinpath("README-instruments.md").read_text(encoding="utf-8")
    covered = {(row["instrument"], row["subtype"]) for row in rows}
    for instrument, subtype in codebook:
        assert (instrument, subtype) in covered
        assert f"| {instrument} | {subtype} |" in readme
    for column in rows[0]:
        assert f"`{column}`" in readme


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"instrument": "supply", "subtype": "money"}, "codebook"),
        ({"kind": "phrase"}, "kind"),
        ({"where": "title"}, "where"),
        ({"kind": "regex", "cue": "给予(补助"}, "regex"),
        ({"weight": "heavy"}, "number"),
        ({"weight": "0"}, "positive"),
        ({"kind": "amount", "cue": "grant"}, "role"),
        ({"instrument": "ignore", "subtype": "ignore", "weight": "1"}, "weight 0"),
    ],
)
def test_bad_cue_row_is_refused_with_its_line(row, message):
    good = {"instrument": "supply", "subtype": "funding", "cue": "补助", "kind": "word",
            "where": "any", "weight": "1.5"}
    codebook = [("supply", "funding")]
    with pytest.raises(ValueError, match=rf"line 7: .*{message}"):
        instruments._parse_cue({**good, **row}, 7, codebook)


def _iter_long(lexicon, text: str) -> list[tuple[int, int, int]]:
    """What the word scan is defined as: pyahocorasick's iter_long over the cue words."""
    return [(i, end + 1 - len(lexicon.word_list[i]), end + 1) for end, i in lexicon.words.iter_long(text)]


@cache
def _nesting() -> set[str]:
    lexicon = instruments._lexicon()
    return instruments._nesting_prefixes(lexicon.words, lexicon.word_list)


@cache
def _word_pieces() -> list[str]:
    """Cue words, every piece of the words other words nest in, and characters around them."""
    lexicon = instruments._lexicon()
    nesting = _nesting()
    outer = {w for w in lexicon.word_list if any(w.startswith(m) or m.startswith(w) for m in nesting)}
    inner = {w for w in lexicon.word_list if any(w in m and not m.startswith(w) for m in nesting)}
    pieces = {w[i:j] for w in outer | inner for i in range(len(w)) for j in range(i + 1, len(w) + 1)}
    return sorted(pieces | set(lexicon.word_list) | set("的和在产业,。"))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_word_pieces()), min_size=1, max_size=8).map("".join))
def test_word_scan_finds_what_iter_long_finds(text):
    lexicon = instruments._lexicon()
    nested = lexicon.regex_index["text"].scan(text)[1]
    assert nested == any(m in text for m in _nesting())
    assert instruments._longest_words(text, nested, lexicon) == _iter_long(lexicon, text), text
    # the fast path alone, wherever it is taken
    if not nested:
        assert instruments._longest_words(text, False, lexicon) == _iter_long(lexicon, text)


def test_word_scan_on_a_nesting_prefix_is_iter_long():
    # 发展改革 is no cue word and ends with the cue word 改革 (it begins 发展改革委): iter_long
    # skips that 改革, where leftmost-longest matching would take it
    lexicon = instruments._lexicon()
    text = "推进发展改革"
    assert lexicon.regex_index["text"].scan(text)[1]
    assert instruments._longest_words(text, True, lexicon) == _iter_long(lexicon, text) == []
    assert instruments._longest_words(text, False, lexicon) == [(lexicon.word_list.index("改革"), 4, 6)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="abc", min_size=1, max_size=5), min_size=1, max_size=8, unique=True),
       st.lists(st.text(alphabet="abcd", min_size=1, max_size=16), min_size=1, max_size=20))
def test_iter_long_is_leftmost_longest_on_texts_without_a_nesting_prefix(words, texts):
    """The claim `_longest_words` rests on, for any word list (a small alphabet nests many)."""
    automaton = ahocorasick.Automaton()
    for i, word in enumerate(words):
        automaton.add_word(word, i)
    automaton.make_automaton()
    longest = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    nesting = instruments._nesting_prefixes(automaton, words)
    for text in texts:
        if not any(m in text for m in nesting):
            expected = [(i, end + 1 - len(words[i]), end + 1) for end, i in automaton.iter_long(text)]
            assert longest.find_matches_as_indexes(text) == expected


def _hits_by_definition(part: str, place: str) -> list:
    """Every cue of `place` in `part` as the classifier defines them: iter_long's words not
    naming a sector, then every regex cue's first MAX_HITS_PER_CUE non-empty matches,
    stably in order of position (no literal screen, no DFA)."""
    lexicon = instruments._lexicon()
    found = []
    if not part:
        return found
    for end, i in lexicon.words.iter_long(part):
        word, cues = lexicon.word_list[i], lexicon.cues_of_word[place][i]
        if cues and not instruments._SECTOR_SUFFIX.match(part, end + 1):
            found.append((end + 1 - len(word), word, cues))
    for pattern, cues in lexicon.regexes[place]:
        matches = [m for m in pattern.finditer(part) if m.end() > m.start()]
        found.extend((m.start(), m.group(), cues) for m in matches[:instruments.MAX_HITS_PER_CUE])
    return sorted(found, key=itemgetter(0))


def _cue_text_pieces() -> list[str]:
    lexicon = instruments._lexicon()
    literals = {w for cues in lexicon.regexes.values() for pattern, _ in cues
                for w in required_literals(pattern.pattern) or ()}
    return sorted({*_word_pieces(), *literals, "了", "第3", "2025年", "5月", "产业", "业务", "本", "全", ",但"})


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_cue_text_pieces()), min_size=1, max_size=10).map("".join))
def test_hits_are_the_cues_by_definition(text):
    for place in ("heading", "text", "context"):
        assert instruments._hits(text, place, instruments._lexicon()) == _hits_by_definition(text, place), text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="，（）：；！？０９ｗＡ％\u3000 \t加强年①½﹙、。,()", max_size=30))
def test_normalise_is_nfkc_without_whitespace(text):
    assert instruments._normalise(text) == "".join(unicodedata.normalize("NFKC", text).split())
