"""Built-in word lists the scorer uses on every open answer, next to each question's rubric.

They encode what recruiters listen for regardless of the job: concrete actions ("询问",
"记录", "follow up") rather than intentions ("尽量", "try to"); structure ("首先…然后…最后");
a real example ("有一次", "for example"); and generic red flags ("不知道", "not my problem").
Kept short and specific on purpose: a generic verb such as "处理"/"handle" says nothing about
how the candidate works, so it is not here.
"""

from __future__ import annotations

from voicebot.interview.profile import Language

ACTIONS: dict[Language, tuple[str, ...]] = {
    "zh": (
        "询问", "问清楚", "倾听", "记录", "记下", "确认", "复述", "核实", "核对", "查询", "跟进",
        "回访", "反馈", "解释", "道歉", "安抚", "上报", "汇报", "协调", "整理", "总结", "复盘",
        "分析", "标记", "隔离", "通知", "拍照", "登记", "提醒", "演示", "请教", "做笔记", "截图",
        "检查", "联系", "同步", "示范", "清理",
    ),
    "en": (
        "ask", "listen", "note", "write down", "record", "confirm", "repeat back", "paraphrase",
        "verify", "check", "look up", "follow up", "call back", "explain", "apologize",
        "apologise", "escalate", "document", "summarize", "log", "track", "reproduce", "test",
        "prioritize", "schedule", "take notes", "reach out", "offer", "refund", "research",
        "practice", "practise", "investigate", "acknowledge", "update", "say sorry",
        "find out", "look into",
    ),
}  # fmt: skip

STRUCTURE: dict[Language, tuple[str, ...]] = {
    "zh": ("首先", "其次", "然后", "接着", "最后", "第一步", "第二步", "第三步", "第一点", "第二点",
           "另外", "之后"),
    "en": ("first", "firstly", "second", "secondly", "then", "next", "after that", "finally",
           "lastly", "afterwards"),
}  # fmt: skip

EXAMPLE: dict[Language, tuple[str, ...]] = {
    "zh": ("比如", "例如", "有一次", "曾经", "上次", "当时", "举个例子", "那次", "之前在",
           "以前在"),
    "en": ("for example", "for instance", "one day", "last year", "at my previous job",
           "in my last job", "when i worked", "one time", "i remember", "previously"),
}  # fmt: skip

VAGUE: dict[Language, tuple[str, ...]] = {
    "zh": ("尽量", "尽力", "努力", "争取", "差不多", "看情况", "随便", "反正", "还行"),
    "en": ("try to", "do my best", "i guess", "maybe", "whatever", "probably", "kind of",
           "sort of", "it depends", "somehow"),
}  # fmt: skip

NEGATIVE: dict[Language, tuple[str, ...]] = {
    "zh": ("不知道", "没想过", "不清楚", "无所谓", "不关我事", "跟我没关系", "不是我的问题"),
    "en": ("i don't know", "no idea", "not my problem", "don't care", "not my job",
           "not my fault"),
}  # fmt: skip

NEGATIONS: dict[Language, tuple[str, ...]] = {
    "zh": ("不", "没", "别", "绝不", "从不", "不会", "不要"),
    "en": ("not", "never", "don't", "dont", "won't", "wont", "wouldn't", "no", "without"),
}  # fmt: skip
"""Words that, just before a phrase, reverse it ("我不会挂电话" is not "挂电话")."""
