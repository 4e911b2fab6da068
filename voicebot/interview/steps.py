"""Concrete steps the lexicons do not know: clauses where the candidate does something.

No lexicon is complete, and a recruiter hears "把单子列出来" or "I'd pull up their order"
as a concrete step whatever the verb. A clause counts as a step when it has the shape of an
action the candidate takes:

* Chinese: after the actor and sequence words ("我会先", "然后", "马上"), it starts with an
  action verb or the 把/用 construction that puts an object before the verb ("把它搬到旁边",
  "用袋子套起来");
* English: a first-person verb ("I'd …", "I would …", "I checked …") with an object, where
  the verb is not one of intention or feeling ("I'd try", "I'd be patient", "I feel").

The scorer counts a step only where no behaviour, rubric phrase or hedge was found in the
same words, as a ``generic`` behaviour: some credit for being concrete, much less than a
behaviour the question asks for.
"""

from __future__ import annotations

import re

from voicebot.interview.matching import Hit
from voicebot.interview.profile import Language
from voicebot.interview.textnorm import is_cjk

STEP_PHRASE = "concrete step"
STEP_SCORE = 70.0
"""The match reported for a step: a shape, not a phrase, so never as sure as a phrase."""

_ZH_CLAUSE = re.compile(r"[，。,.!?！？；;：:、\s]+|然后|接着|之后|最后|再就是|同时|并且|还有")
_ZH_LEAD = re.compile(
    r"^(?:我们|我|会|就|先|再|也|还|都|要|得|马上|立刻|赶紧|主动|直接|一边|首先|其次|习惯|一般|"
    r"会去|然后|最后|接着)+"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ZH_VERBS = _words(
    "把 用 给 帮 跟 和 找 让 叫 喊 问 查 打 发 记 写 拍 放 拿 搬 挪 清 擦 停 教 带 做 换 调 列 "
    "建 加 留 提 联系 确认 核 对 送 退 补 修 测 试 分 装 贴 标 填 登 报 处理 安排 整理 通知 告诉 "
    "申请 准备 检查 引导 解释 说明 回复 推 定 约 开 收 递 扫 移 盖 封 接 转 请 认 闭 数 盯 催 "
    "陪 劝 谈 聊 讲 点 选 挑 派 去 到 上 下 关心 观察 安抚 解决 分析 统计 汇总 反馈 沟通 协调 "
    "跟进 落实 防止 避免 等 加 发 教"
)
_ZH_MIN_CHARS = 4
_ZH_PLACE = re.compile(r"^[在到从往向][^，。,.]{1,4}?(?=[放挂贴摆拿搬挪写记发])")
_ZH_NOT_STEPS = re.compile(
    r"满意|感受|开心|高兴|放心|舒服|诚意|用心|态度|微笑|努力|尽量|觉得|希望|^请问|[吗呢么嘛]$"
)
"""Outcomes, attitudes and questions, not actions: "让他满意为止", "用心去服务", "请问一下这个
工作工资是多少啊" (a question back, however it starts)."""
_ZH_QUESTION_END = re.compile(r"^[啊呀吧]?[？?]")

_EN_CLAUSE = re.compile(r"[.,;:!?]+|\b(?:and then|then|and|after that|so|but)\b", re.I)
_EN_STEP = re.compile(
    r"\bi(?:'d| would| will|'ll)?\s+(?:\w+ly\s+)?(?:also\s+)?(?P<verb>[a-z]+)\b"
    r"(?P<rest>(?:\s+\S+){2,})",
    re.I,
)
_EN_NOT_ACTIONS = _words(
    "be am was were try tried feel felt think thought believe hope want wanted like liked love "
    "enjoy guess know knew need have had do did can could would should will might just always "
    "never really probably prefer usually mean get got make go went say said don't didn't "
    "can't won't wouldn't couldn't not wait stay keep work worked used am was"
)
"""Intentions, feelings, auxiliaries and where one worked: "I'd try to …", "I feel …",
"I worked at a phone shop" are no steps."""


def find(text: str, language: Language) -> list[Hit]:
    """Every clause of ``text`` with the shape of a concrete step, as a hit."""
    return _zh(text) if language == "zh" else _en(text)


def _clauses(text: str, splitter: re.Pattern[str]) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in splitter.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _zh(text: str) -> list[Hit]:
    hits = []
    for start, end in _clauses(text, _ZH_CLAUSE):
        clause = text[start:end]
        lead = _ZH_LEAD.match(clause)
        body = clause[lead.end() :] if lead else clause
        place = _ZH_PLACE.match(body)  # "在旁边放个提示牌": the verb follows the place
        if place:
            body = body[place.end() :]
        if sum(1 for ch in body if is_cjk(ch)) < _ZH_MIN_CHARS:
            continue
        if (
            any(body.startswith(v) for v in _ZH_VERBS)
            and not body.startswith("把握")
            and not _ZH_NOT_STEPS.search(body)
            and not _ZH_QUESTION_END.match(text[end : end + 2])
        ):
            hits.append(Hit(STEP_PHRASE, STEP_SCORE, start, end, clause))
    return hits


_EN_VERBS = _words(
    "ask call email send tell explain offer refund replace listen note write log track look "
    "find pull open create file escalate transfer share show teach guide walk go make take "
    "give set sign read watch practice practise check verify confirm test reproduce search "
    "post message contact update document record review compare schedule arrange book order "
    "fix reset restart reinstall collect gather summarize summarise repeat apologize "
    "apologise acknowledge calm reassure follow add put move separate clean stop report flag "
    "mark label isolate wrap assign split swap rotate train coach help join sit shadow jot "
    "list"
)
"""Verbs that start a step in a list after the first ("…, go through every menu, and make
flashcards"): a short list, since without a tagger a first word could be a noun."""
_EN_LIST_STEP = re.compile(r"^\s*(?:(?:and|then|also|first|next|finally)\s+)*(?P<verb>[a-z]+)\b"
                           r"(?P<rest>(?:\s+\S+){2,})", re.I)  # fmt: skip


def _en(text: str) -> list[Hit]:
    hits = []
    for start, end in _clauses(text, _EN_CLAUSE):
        clause = text[start:end]
        m = _EN_STEP.search(clause)
        listed = _EN_LIST_STEP.match(clause)
        if (m and m.group("verb").lower() not in _EN_NOT_ACTIONS) or (
            listed and listed.group("verb").lower() in _EN_VERBS
        ):
            lead = len(clause) - len(clause.lstrip())
            hits.append(Hit(STEP_PHRASE, STEP_SCORE, start + lead, end, clause.strip()))
    return hits
