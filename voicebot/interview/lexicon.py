"""Built-in markers the scorer looks for in every open answer, next to the question's rubric.

What the candidate would *do* is in :mod:`behaviour_words` (behaviours and red flags). Here
is how the answer is told: structure ("首先…然后…最后", "先…再…", "if that doesn't work"),
a real example ("有一次", "at my last job"), hedges and claims that say nothing concrete
("尽量", "客户是上帝", "I'm a fast learner"), and non-answers ("不知道"). They are lexicon
patterns, matched strictly (see :func:`matching.find_pattern`): "one time" must not be found
in "one at a time", "sort of" not in "sort it out".
"""

from __future__ import annotations

from voicebot.interview.profile import Language

STRUCTURE: dict[Language, tuple[str, ...]] = {
    "zh": ("首先", "其次", "然后", "接着", "接下来", "最后", "第一步", "第二步", "第三步", "第一点",
           "第二点", "另外", "之后", "再就是", "先…再", "先…然后", "第一时间", "如果还是", "要是还",
           "实在不行", "不行的话", "不行就", "等…之后", "以后"),
    "en": ("first", "firstly", "second", "secondly", "then", "next", "after that", "finally",
           "lastly", "afterwards", "once", "if that doesn't", "if it doesn't", "if i can't",
           "if that didn't", "start by", "to begin with"),
}  # fmt: skip

EXAMPLE: dict[Language, tuple[str, ...]] = {
    "zh": ("比如", "例如", "有一次", "曾经", "上次", "当时", "举个例子", "那次", "之前在", "以前在",
           "之前做", "以前做", "有个客户", "有一个客户", "有位客户", "记得有", "那时候", "遇到过",
           "碰到过", "去年", "有一回"),
    "en": ("for example", "for instance", "one day", "last year", "at my previous job",
           "in my last job", "at my last job", "when i worked", "one time", "i remember",
           "previously", "i had a customer", "a customer was", "once a customer", "last month",
           "last week", "we had a", "there was a time", "a customer's", "a client's", "a user's",
           "a customer couldn't", "a customer had", "a client had", "a user had"),
}  # fmt: skip

VAGUE: dict[Language, tuple[str, ...]] = {
    "zh": ("尽量", "尽力", "努力", "争取", "差不多", "看情况", "随便", "反正", "还行", "用心",
           "客户是上帝", "保持微笑", "诚意", "态度", "习惯就好", "习惯了", "脾气好", "脾气比较好",
           "没什么", "都能处理好", "都能解决", "办法总比困难多", "没有解决不了", "最重要的",
           "小心一点", "没什么关系", "还好", "配合好", "多沟通", "看具体情况", "请假…休息", "请假",
           "没事", "就行了", "也正常", "不会说什么", "算了", "按流程来", "自觉", "认真一点",
           "该怎么…就怎么", "没上过班", "没干过", "没有经验", "没经验", "没工作过", "只能继续",
           "只能忍"),
    "en": ("try to", "do my best", "i guess", "maybe", "whatever", "probably", "kind of",
           "sort of", "it depends", "somehow", "positive attitude", "i believe", "always try",
           "most important", "fast learner", "quick learner", "tech-savvy", "tech savvy",
           "good with", "i'm confident", "i'm sure", "patient person", "enjoy helping",
           "feel valued", "do everything i can", "work it out", "be nice", "be friendly",
           "make them happy", "communication is key", "be polite", "pick things up", "works out",
           "make sure they feel", "figure it out", "as i go", "wing it", "no need to",
           "stay positive", "attitude", "always right", "whatever it takes", "make it right"),
}  # fmt: skip
"""Hedges and self-descriptions: the topic without a concrete step."""

NON_ANSWER: dict[Language, tuple[str, ...]] = {
    "zh": ("不知道", "没想过", "不清楚", "无所谓", "想不起来", "没有遇到过", "没遇到过"),
    "en": ("i don't know", "no idea", "don't care", "can't … remember", "cannot … remember",
           "never had one", "don't … remember", "do not remember", "not sure"),
}  # fmt: skip
"""Cost points only in an answer with no concrete behaviour: "我不知道他哪里不满意，所以会
问清楚" is a fine answer, "不知道" alone is not."""

NEGATIONS: dict[Language, tuple[str, ...]] = {
    "zh": ("不", "没", "别", "绝不", "从不", "不会", "不要"),
    "en": ("not", "never", "don't", "dont", "won't", "wont", "wouldn't", "no", "without",
           "couldn't", "can't", "cannot", "didn't", "wasn't", "isn't", "haven't", "hardly",
           "hate", "avoid", "refuse", "dislike"),
}  # fmt: skip
"""Words that, just before a phrase, reverse it ("我不会挂电话" is not "挂电话")."""
