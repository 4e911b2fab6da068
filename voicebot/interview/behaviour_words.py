"""The behaviour lexicon: how candidates say what they would do, in their own words.

A rubric names a behaviour once ("跟进回访", "follow up with the customer"); candidates say
it a dozen ways ("过两天再打个电话问问", "call them back tomorrow", "check in later"). Each
entry here is one generic behaviour a recruiter listens for, with the colloquial variants
that express it in Mandarin and English, and the competencies (tags) it shows. Variants are
matched strictly (exact or homophone, see :func:`matching.find_pattern`), so they must be
specific: "了解" alone or "handle" says nothing, "问清楚" and "ask what exactly" do.

Syntax: Chinese variants are separated by spaces, English ones by "|"; "…" is a short gap
("打…回去" is "打个电话回去", "call … back" is "call the customer back"). In Chinese,
"{人}" stands for whoever the candidate deals with (他, 她, 客户, 对方, ...) and "{领导}" for
whom they report to (组长, 班长, 主管, ...), so one variant covers all of them.

Red flags (what a candidate must not do) are in :mod:`flag_words`.

Tags: comm (communication), solve (problem solving), stress (emotional control), team
(teamwork), remote (remote collaboration), service (service attitude, empathy), safety,
reliab (reliability), exp (work experience), learn (learning), any (red flags that count in
every answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product


@dataclass(frozen=True, slots=True)
class Behaviour:
    id: str
    tags: frozenset[str]
    zh: tuple[str, ...]
    en: tuple[str, ...]
    red_flag: bool = False
    each: bool = False
    """Each variant is a distinct item (the tasks of a job: 分拣, 打包, 上架 are three)."""
    stance: bool = False
    """A red flag that is a preference, not a harmful act (working alone, waiting to be
    taught): it holds the answer at the stance ceiling, not the red-flag one."""


SLOTS_ZH: dict[str, tuple[str, ...]] = {
    "{人}": ("他", "她", "客户", "对方", "顾客", "用户", "人家", "客人"),
    "{领导}": ("组长", "班长", "主管", "领导", "经理", "店长", "负责人", "上级", "线长", "队长",
             "技术", "老板"),
}  # fmt: skip


def _expand(variant: str) -> list[str]:
    """ "让{人}说完" -> 让他说完, 让她说完, 让客户说完, ..."""
    slots = [s for s in SLOTS_ZH if s in variant]
    if not slots:
        return [variant]
    out = []
    for fill in product(*(SLOTS_ZH[s] for s in slots)):
        v = variant
        for slot, word in zip(slots, fill, strict=True):
            v = v.replace(slot, word)
        out.append(v)
    return out


def entry(
    id_: str,
    tags: str,
    zh: str,
    en: str,
    *,
    red_flag: bool = False,
    each: bool = False,
    stance: bool = False,
) -> Behaviour:
    return Behaviour(
        id_,
        frozenset(tags.split()),
        tuple(dict.fromkeys(v for raw in zh.split() for v in _expand(raw))),
        tuple(v.strip() for v in en.split("|") if v.strip()),
        red_flag,
        each,
        stance,
    )


BEHAVIOURS: tuple[Behaviour, ...] = (
    entry("listen", "comm service",
       "倾听 耐心听 认真听 仔细听 静静听 先听 听完 听…说完 听…讲完 听…说 听…讲 让{人}说完 "
       "让{人}讲完 让{人}先说 让{人}把话说完 让{人}慢慢说 请{人}慢慢说 让{人}随便说 让{人}…说说 "
       "让{人}…讲讲 听听{人} 不打断 别打断 不插嘴 让{人}说 让{人}讲 听{人} 我在听 您慢慢说 "
       "你慢慢说 慢慢说 你说我听",
       "listen | hear … out | let them explain | let them talk | let them finish | let them "
       "speak | let them tell | let him explain | let her explain | without interrupting | not "
       "interrupt | don't interrupt | hear what they | let them describe | i'm listening"),
    entry("clarify", "comm solve",
       "询问 问清楚 问清 问明白 问一问 问具体 追问 问{人}具体 问{人}到底 问{人}是 问{人}哪 "
       "了解清楚 了解具体 具体了解 弄清楚 弄明白 搞清楚 搞明白 弄清 搞清 引导{人} 一个一个地问 "
       "一个一个问 一步步问 一步一步问 一点点问 一点一点问 慢慢问 哪里不满意 哪方面 哪个环节 "
       "哪个功能 具体是什么 具体哪里 什么地方不满意 缩小范围 让{人}描述 问问是 问问哪 问问具体 "
       "问几个问题 问些问题 到底是什么问题 是什么问题 哪里不对 哪里有问题 问{人} 一项一项 "
       "一条一条 排除法 逐个 逐一 一个个排查 分几种情况 是…还是 梳理 理一理 理清楚 帮{人}梳理 "
       "帮{人}理",
       "clarifying question | clarify | find out | figure out what | what exactly | narrow … "
       "down | more details | get the details | ask … questions | ask … question | ask what | "
       "ask which | ask how | ask when | ask where | ask why | ask if | ask whether | ask about "
       "| ask for details | what they were trying | what they expected | what happened | what "
       "they see | what they clicked | which step | walk me through | describe | step by step | "
       "what they did | what's going on | what the issue is | get specifics | yes or no "
       "questions | narrow it down | different way | an example of what"),
    entry("gather_evidence", "solve comm",
       "发截图 截个图 截图发 发照片 拍了照片发 拍照片发 拍个照片发 录个屏 订单号 发个视频 "
       "拍…发过来 发…过来看",
       "share their screen | share screen | screenshot | send a picture | send a photo | error "
       "message | order number | account id | screen recording | send me | show me | on their "
       "screen | what's on | asked for their | device model | app version | version | crash "
       "report"),
    entry("confirm", "comm",
       "复述 确认 重复一遍 再说一遍 对一遍 对一下 核对 理解得对不对 理解的对不对 是不是这个意思 "
       "跟{人}确认 跟{人}核实 总结一下{人} 看对不对 说一遍 复核 对不对 是不是这样 我理解的",
       "repeat back | repeat … back | paraphrase | confirm | make sure i understood | make sure "
       "i understand | sum up | summarize | summarise | read it back | restate | check i've got "
       "it right | got it right | in my own words | double check | so what you're saying"),
    entry("document", "comm solve remote",
       "记录 记下 记着 记一下 记好 记在 写下来 写下 写清楚 登记 备注 做笔记 笔记 录入 工单 建单 "
       "提单 截图 拍照 拍个照 留底 存档 单号 标记 贴标签 书面 写一下 写写 记一句 记上 记到 记进 "
       "记几笔 写到 写进 记…本子 异常单 填单 填一下 填个单 登记表",
       "note | take notes | make notes | write down | write … down | wrote … down | document | "
       "log it | log the | log everything | record | ticket | in the system | crm | wiki | "
       "cheat sheet | help article | write … up | jot down | added the steps | shared notes | "
       "flashcards | flash cards | notebook | notes of | notes | write notes"),
    entry("follow_up", "solve service comm",
       "跟进 回访 回电 回个电话 回电话 打回去 打…回去 再打给 再打…给{人} 再打电话 再联系 "
       "主动联系 再问问 再问一下 又问了 问问{人}现在 解决了没有 有没有解决 解决没有 满不满意 "
       "满意不满意 后续 追踪 跟踪 过两天 过几天 隔一两天 隔天 第二天 事后 给{人}答复 给{人}回复 "
       "回复{人} 通知{人}结果 告诉{人}进度 直到解决 收到了没有 有没有收到 回头再 再确认 再跟{人} "
       "盯着 盯一下 问一下结果 确认{人}收到 联系方式 留个电话 留电话 加微信 加{人}的 回头联系 "
       "再回访 处理结果 发短信 告诉{人}结果 结果告诉 结果发 再打个电话 打个电话问 打电话问 "
       "电话回访 再打…问 再…打…电话 回头…问问 主动打过去 到点 明确的答复 答复和时间 "
       "给{人}一个时间 约好时间",
       "follow up | call … back | get back to | got back to | check in | circle back | keep … "
       "posted | keep … updated | keep … informed | update them | give them an update | touch "
       "base | reach out again | the next day | a few days later | until it's resolved | until "
       "it is resolved | until it's fixed | make sure it's | make sure they got | email them | "
       "send them the | let them know when | check back | same day | check on them | every day "
       "until | set a reminder | told the user | told them to update | released a patch | "
       "emailed the customer | to confirm it | new delivery date | delivery date"),
    entry("apologise", "service comm",
       "道歉 道个歉 对不起 抱歉 不好意思 赔不是 赔个不是 致歉 说声sorry 认个错 认错 赔礼 添麻烦 "
       "给您添麻烦 让您久等",
       "apologize | apologise | apology | sorry"),
    entry("empathise", "service comm",
       "安抚 安慰 稳住{人} 稳住情绪 稳住{人}的情绪 稳定情绪 情绪稳 平复{人} 消消气 消气 "
       "把火发出来 发泄 发完火 出出气 让{人}别急 别着急 先别急 先冷静 让{人}冷静 理解{人} "
       "理解{人}的心情 理解他们 体谅 换位思考 站在{人}的角度 站在{人}角度 设身处地 先处理情绪 "
       "照顾{人}的情绪 语气温和 语气放软 好好跟{人}说 感同身受 让{人}发泄 让{人}先发泄 "
       "等{人}气消 等{人}冷静 情绪平复 我理解您 我能理解 能理解 换成是我 表示理解 表达理解 "
       "理解{人}的 语气…缓 放缓 缓和 温柔一点 耐心安慰 先稳住 态度放软 放软 放低姿态 情绪接住 "
       "接住{人}的情绪 先接住",
       "calm … down | acknowledge | understand how | understand why | get why | i understand | "
       "empathize | empathise | in their shoes | let them vent | reassure | validate | "
       "frustrating | frustration | annoyed | must be | i hear you | i'd be upset too | how "
       "they feel"),
    entry("explain", "comm service",
       "解释 说明情况 说明原因 说明一下 告诉{人}原因 讲清楚 告知 如实告诉 跟{人}说明 讲明白 "
       "说明白 告诉{人}为什么 实话实说",
       "explain | tell them what happened | let them know | be honest | tell them why | walk … "
       "through | be transparent | tell them the order | tell them where | let them know where "
       "| update them on"),
    entry("look_up", "solve service",
       "查询 查一下 查查 查看 核实 核查 查订单 查物流 调出 调取 后台 系统里查 对比 看一下订单 "
       "查记录 去查 帮{人}查",
       "check | look up | look into | looked into | track | tracking | pull up | verify | where "
       "it got stuck | where it is | where it's at"),
    entry("diagnose", "solve",
       "排查 检查 分析原因 找原因 找到原因 原因是 发现是 查日志 是哪里出了问题 哪里出了问题 "
       "问题出在 找出原因 弄清原因 搞清原因 原来是",
       "investigate | trace | logs | root cause | troubleshoot | diagnose | dig into | turned "
       "out | found that | found out that | what went wrong | figured out why | saw that | "
       "noticed that | the cause"),
    entry("reproduce", "solve",
       "复现 重现 测试 试一下 自己试试 操作一遍",
       "reproduce | reproduced | test | same steps | on my side | on my end | test account | "
       "replicate | try it on my | tried the same | test phone | test device | tried it"),
    entry("remedy", "solve service",
       "解决方案 处理办法 解决办法 给{人}方案 给出方案 想办法 补偿 退款 退差价 退了 换货 重新发 "
       "补发 重新寄 重新安排发货 优惠券 赔偿 修好 教{人}怎么用 当场解决 退换 当场处理 马上处理 "
       "及时处理 处理掉 换新 补寄 送了 送{人} 补回去 补上 加急 两个方案 几个方案 让{人}选 "
       "给{人}选择 方案让 提供方案 远程帮 远程看 远程协助 约个时间 约时间 上门 一步一步操作 "
       "一步一步教 陪{人} 录屏 教程 换个方式 换个渠道 加了…微信",
       "refund | replacement | replace | reship | resend | send a new | discount | voucher | "
       "coupon | credit | compensation | compensate | expedite | express shipping | money back "
       "| cost back | workaround | reset | fixed | solution | fix it | sort it out | cancel and "
       "refund | ship a new | priority delivery | whatever they prefer | options | clear … cache "
       "| cleared … cache | reinstall | restart | log out and back in | update the app"),
    entry("outcome", "solve service",
       "解决了 搞定了 弄好了 处理好了 成功了 到账了 收到了货 恢复了 修好了 好评 表扬 感谢 谢谢我 "
       "夸我 满意了 投诉撤 撤销了投诉 没再投诉",
       "was resolved | got resolved | it was fixed | that fixed it | that solved it | solved it "
       "| thanked me | thanked us | thanked the | positive review | good review | five-star | 5 "
       "star | happy in the end | sorted it | that worked"),
    entry("escalate", "solve team safety reliab stress",
       "上报 汇报 报告 转给 转交 请示 反馈给 升级处理 交给专人 交给负责 交给专门 专人处理 "
       "告诉{领导} 跟{领导} 和{领导} 找{领导} 问{领导} 叫{领导} 喊{领导} 通知{领导} 报告{领导} "
       "报给 汇报给{领导} 反映给{领导} 请示{领导} 问问{领导} 交给{领导} 转给{领导} 让{领导} "
       "等{领导}决定 等{人}决定 听{领导}安排 按{领导}说的 等{领导}来 马上…{领导} 及时…{领导} "
       "第一时间…{领导}",
       "escalate | loop in | hand … over | hand it to | transfer | my supervisor | my manager | "
       "a supervisor | a manager | to … supervisor | to … manager | ask … supervisor | ask … "
       "manager | get … supervisor | get … manager | call … supervisor | call … manager | tell … "
       "supervisor | tell … manager | with … supervisor | with … manager | specialist | team lead "
       "| engineers | engineering | technical team | pass it to | pass "
       "it on | raise it with | flag it | let my lead know | developers | dev team | bug report "
       "| filed a bug | raised a ticket"),
    entry("consult", "team learn solve remote stress",
       "请教 问同事 问老员工 问有经验的 有经验的同事 求助 找同事帮忙 问问同事 不会硬扛 寻求帮助 "
       "找人帮忙 问老师傅 不懂…问 不懂就问 有问题就问 马上问 及时问 不瞎猜 不会…瞎猜 不懂的问 "
       "老同事 前辈",
       "ask a colleague | ask my colleague | ask colleagues | ask a coworker | ask for help | "
       "asked for help | ask the team | check with | messaged | reach out to | sit with | "
       "shadow | experienced colleague | someone experienced | mentor | ask … colleague | ask … "
       "coworker | ask … teammate | ask … senior | ask … team | senior teammate | pulled in | "
       "pull in | brought in | bring in | developer | solved it together | we found | posted in "
       "| team channel | asked in | jumped on a call | got on a call | colleague from | finance "
       "team | billing team | support team | the … team with"),
    entry("calm_down", "stress service",
       "冷静 深呼吸 调整情绪 调整心态 调整状态 调整好 调整自己 平复心情 稳住自己 控制情绪 "
       "控制好情绪 缓一缓 缓一下 缓个 喝口水 喝杯水 倒杯水 放松 自我调节 稳住心态 静一静 静下心 "
       "平静 心情平复 情绪平复 平复了 心情好了 冷静下来 缓过来 给自己…时间 留…给自己 闭上眼睛 "
       "闭眼 数到 数数 缓口气",
       "stay calm | keep calm | calm myself | deep breath | breathe | compose myself | collect "
       "myself | reset"),
    entry("reframe", "stress",
       "不往心里去 不放在心上 不放心上 不记在心上 对事不对人 不是冲着我 不是针对我 不针对我 "
       "冲着问题 就事论事 放平心态 心态放平 想开 提醒自己 告诉自己 换个角度 不较真 不是我这个人 "
       "不是骂我 这是工作 工作而已 理解{人}的情绪 过去就过去 转头就忘 就忘了 不去想 乐观 心大 "
       "当没听见 不放心里 左耳进右耳出 想得开 注意力放在 放在解决问题上 不跟…较劲 不较劲 "
       "专注于解决 对事不对情绪",
       "don't take it personally | not take it personally | never take it personally | not "
       "personal | not about me | shake it off | stay professional | remind myself | tell myself "
       "| not angry at me | part of the job | let it go"),
    entry("recover", "stress",
       "休息 听音乐 听歌 运动 跑步 跑跑步 散步 走两步 走一走 活动一下 站起来 找人聊 找同事聊 "
       "聊聊天 倾诉 吐槽 睡一觉 出去走 起来走 伸个懒腰 喝杯茶 吃点东西 摘下来 晒太阳 晒晒太阳 "
       "透透气 透口气 出去走走 午休 歇一会 歇一下 歇口气 休息一会 换一下工作 换个工作内容 "
       "不用接电话 处理别的 先做别的 先处理一些 跟家人聊 家人聊 陪家人 看个电影 追剧",
       "short break | take a break | go for a walk | take a walk | exercise | music | talk to a "
       "friend | talk to a colleague | vent to | stretch | step away | cup of tea | coffee | "
       "gym | go for a run"),
    entry("reflect", "stress solve learn",
       "总结 复盘 反思 回想 想想下次 下次怎么 下次就 下次遇到 吸取 积累经验 改进 哪里可以 "
       "哪里做得 避免再 以后怎么 再遇到 提前避免 怎么避免 预防 原因整理 整理一下原因 找规律",
       "reflect | learn from | lesson | next time | do better | review | improve"),
    entry("endure", "stress",
       "忍一忍 忍住 忍着 忍一下 忍耐 扛住 撑住 咬咬牙 坚持下去 熬过去",
       "put up with it | grin and bear it | keep going | push through"),
    entry("help_teammate", "team",
       "帮忙 帮{人} 帮一下 帮一把 帮把手 搭把手 搭个手 搭手 帮着 分担 替{人} 顶一下 一起干 "
       "一起做 一起弄 配合{人} 互相帮助 互相帮忙 支援 补位 我去做 我来做 我多做 多干一点 "
       "多做一点 替{人}做 帮{人}做 分一点 分一些 拉{人}一把 帮衬 帮{人}干 帮着干 帮忙干",
       "help them | help him | help her | give … a hand | lend a hand | pitch in | support them "
       "| cover for | help out | take some of"),
    entry("coach", "team learn",
       "教{人} 教一下 教教 示范 做给{人}看 演示 带一带 带带{人} 传授 分享经验 分享技巧 "
       "告诉{人}技巧 告诉{人}方法 告诉{人}怎么 指导 手把手 窍门 诀窍 小技巧 技巧 跟{人}讲讲 "
       "经验告诉 跟{人}说说 我是怎么 分享一下 怎么…快 交流…经验 交流一下 分享…经验 传经验",
       "show them | show him | show her | teach | coach | share tips | demonstrate | train them "
       "| tips"),
    entry("encourage", "team",
       "提醒{人} 催{人} 催一下 加油 鼓励 打气 跟{人}说一声 跟{人}说一下 快一点",
       "encourage | remind them | cheer them on"),
    entry("understand_teammate", "team",
       "看看{人}哪里 看看{人}卡在 卡在哪 问问{人} 了解原因 什么原因 是不是身体不舒服 不舒服 刚来 "
       "不熟悉 不熟练 手法不熟 关心{人} 为什么慢 哪里慢 不会还是 是不会 态度问题 不想干 "
       "看看是{人} 卡住 哪个环节 新人 是新来的 新来的 故意 磨洋工",
       "find out why | ask what's wrong | ask if they're ok | is new | why they're slow"),
    entry("reorganise", "team solve",
       "调整分工 重新分工 分工 重新排 排一下人 重新安排 换个位置 换岗 调岗 调换 轮换 重新分配 "
       "调一下位置 换…位置 调…位置 换一下 换到 调到",
       "reassign | rearrange | swap tasks | rotate | redistribute | split the work | divide the "
       "work"),
    entry("progress_update", "team remote comm",
       "同步进度 汇报进度 说一声进度 更新进度 说…进度 群里说一声进度 群里同步 及时同步 "
       "主动汇报 交接 发到群里 发群里 群里发 发在群里 做了什么 做到哪 到哪一步 报一下 清单 待办 "
       "打勾 打个勾 通知相关 第一时间通知 有变化 完成情况 今天的计划 每天早上…报 晚上…报 "
       "计划和进度",
       "post updates | update the team | give … an update | progress | hand over | handover"),
    entry("shared_docs", "team remote",
       "共享文档 在线文档 腾讯文档 飞书文档 共享表格 共享 放到文档 写在文档 文档里 共享盘 网盘 "
       "云盘 共享文件夹 在线表格 共享表 一个表格 表格 统一管理",
       "shared doc | shared document | google doc | shared sheet | wiki | shared drive"),
    entry("regular_meeting", "team remote comm",
       "例会 短会 开会 开个会 视频会议 固定时间 固定…时间 每天…对一下 对一下今天 晨会 碰一下 "
       "碰个头 周会 定期",
       "standup | stand-up | meeting | daily call | weekly call | check-in"),
    entry("chat_channel", "team remote comm",
       "钉钉 企业微信 微信群 工作群 群里 在群里说 飞书 微信沟通 打电话沟通",
       "slack | group chat | channel | microsoft teams | chat group"),
    entry("knowledge_base", "remote solve",
       "知识库 常见问题 话术 标准回答 标准答案 模板 问答库 整理成 快捷回复 快捷短语 重复的问题 "
       "常用回复 做成",
       "knowledge base | faq | template | macro | canned response"),
    entry("data_review", "remote solve",
       "数据 统计 报表 分析一下 哪类问题 哪些问题最多 每周看 看看效果 有没有提升 效果怎么样 "
       "跑两周 跑一段时间 看效率",
       "look at the data | data analysis | metrics | numbers | which issues | measure | see if "
       "it works"),
    entry("train_team", "remote team",
       "培训 带新人 分享会 新人培训 针对性地培训",
       "train the team | onboarding | coaching session"),
    entry("streamline", "remote solve",
       "流程 优化 最耗时间 耗时间 瓶颈 自动化 简化 派单 分工明确 谁负责 改进 试点 试行 先试 推广 "
       "提升效率 效率 痛点 最麻烦 麻烦的地方 问问大家",
       "process | streamline | automate | bottleneck | who owns | pilot | roll out | pain point "
       "| efficiency"),
    entry("stop_work", "safety",
       "停下 停手 先停 暂停 停了 不碰 别碰 不要碰 不动它 别动它 别去碰 不去碰 别…碰 不乱碰 "
       "手上的活停",
       "stop working | stop the line | stop what i | don't touch | not touch"),
    entry("protect", "safety",
       "手套 口罩 防护 不要用手 别用手 不用手 不直接碰 护目镜 不会用手 不用手去 不去碰 不会去碰",
       "gloves | protective"),
    entry("isolate", "safety",
       "单独放 放一边 放到一边 放旁边 放到旁边 放在一边 挪到边上 边上 挪开 拿开 拿出来 隔开 隔离 "
       "分开放 单独处理 远离 放在安全 放…一边 放…旁边 放…边上 挪…一边 挪…旁边 搬…一边 搬…旁边 "
       "搬…边上 拿…一边 拿…旁边 移…一边 移…旁边 移开 搬开 撤离 异常区 隔离区 套起来 装起来 "
       "包起来 袋子 密封 封起来",
       "set it aside | put it aside | separate | isolate | away from"),
    entry("warn_others", "safety",
       "提示牌 警示牌 警示 提醒别人 提醒旁边 防止别人 别人别靠近 别靠近 不要靠近 拉警戒 围起来 "
       "告诉旁边的人 跟旁边的人说",
       "warn others | keep people away | wet floor sign | cordon off"),
    entry("identify_hazard", "safety",
       "是什么液体 漏的是什么 危险品 有没有毒 腐蚀 易燃 有没有危险 是什么东西 确认…是什么 "
       "看看是什么 可能有危险 有危险 化学品",
       "what the liquid | hazardous | dangerous goods"),
    entry("clean_up", "safety",
       "清理 擦干净 擦掉 打扫 收拾 拖干净 吸干 清洁",
       "clean up | clean it | wipe"),
    entry("follow_procedure", "safety reliab",
       "按规定 按公司规定 按流程 按规矩 按要求 照规定 操作规范 规章 制度 异常件 不自己乱 不乱动 "
       "不私自 不擅自 安全第一",
       "follow the procedure | procedure | protocol | safety rules"),
    entry("warehouse_work", "exp",
       "分拣 打包 装卸 卸货 装车 扫码 扫件 扫描 叉车 地牛 拣货 上架 盘点 入库 出库 仓库 库管 "
       "理货 包装 收件 派件 验货 贴单 称重 码货 点货 中转场 转运中心 分拨中心 分拨 卸车 面单 "
       "分区 拣货员 PDA 扫描枪",
       "warehouse | forklift | pallet jack | inventory | picking | packing orders | loading",
       each=True),
    entry("factory_work", "exp",
       "流水线 组装 车间 工厂 电子厂 厂里 质检 包装工",
       "factory | assembly line | production line"),
    entry("logistics_work", "exp",
       "快递 物流 配送 外卖 送货 快递员 骑手 搬家 驿站 菜鸟 京东 顺丰 中通 圆通 韵达 申通 邮政",
       "delivery | courier | logistics"),
    entry("physical_work", "exp",
       "搬运 搬货 搬东西 装修 工地 服务员 端盘子 后厨 保洁 体力活 重活 力气大 体力还 搬…箱 "
       "体力没问题 体力好 身体好 能吃苦",
       "lifting | construction | manual work | on my feet"),
    entry("other_work", "exp",
       "收银 店员 导购 销售 保安 前台 司机 厨师 工人 打工 兼职",
       "cashier | retail | waiter | waitress | driver | part-time"),
    entry("shift_work", "exp reliab",
       "夜班 上过夜班 倒班 三班倒 通宵 加班",
       "night shift | nights | overtime"),
    entry("work_duration", "exp",
       "干过…年 做过…年 做了…年 干了…年 年半 个月 多年 几年 半年 一年多 两年 三年",
       "years | months"),
    entry("work_volume", "exp",
       "一天…件 几千件 几百件 几千个 几百个 上千 双十一 旺季 扫码枪 手持 一天…单 一千多 上千单 "
       "多单 几千单",
       "per day | per shift | an hour"),
    entry("read_docs", "learn",
       "看文档 说明书 手册 帮助中心 教程",
       "documentation | docs | manual | guide | help center | help centre | knowledge base | "
       "release notes | read"),
    entry("practise", "learn",
       "自己试 动手 实操 练习 上手",
       "try it myself | try it out | hands-on | hands on | sandbox | test account | demo | "
       "click through | play around | play with | practice | practise | by using it | learn by "
       "doing | every feature | break things | explore | on the job | as i work | while working "
       "| free trial | sign up | trial account | go through every | every menu | click around | "
       "quiz myself | one feature | small pieces | a plan"),
    entry("watch_training", "learn",
       "视频 网课 课程 培训",
       "video | tutorial | youtube | webinar | course | training video | training course | "
       "online training"),
)  # fmt: skip
