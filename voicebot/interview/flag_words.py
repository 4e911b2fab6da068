"""Red flags: what a candidate says they would do that no job wants, in their own words.

The same syntax as :mod:`behaviour_words` (whose docstring explains the variants, "…" gaps,
"{人}"/"{领导}" slots and tags). Red flags are matched strictly, never as homophones: "吼客户"
must not be found in "然后客户". Flags tagged "any" count in every answer; the others only in
answers to questions that feed their competency (or whose rubric names them). Flags marked
``stance`` are preferences rather than harm (working alone, waiting to be taught): they hold
an answer at the stance ceiling of :mod:`scoring`, not at the red-flag one.
"""

from __future__ import annotations

from voicebot.interview.behaviour_words import Behaviour, entry

RED_FLAGS: tuple[Behaviour, ...] = (
    entry("hang_up", "any",
       "挂电话 挂掉 把电话挂 电话挂了 挂断 不接电话 挂了{人}",
       "hang up | hung up | end the call | put the phone down | cut them off", red_flag=True),
    entry("hostile", "any",
       "吵架 吵一架 争吵 跟{人}吵 和{人}吵 骂回去 骂{人} 骂几句 骂了{人} 怼回去 怼{人} 凶{人} "
       "顶回去 动手 我也骂 骂他们 吼{人} 凭什么受",
       "argue | yell at | shout at | yell back | shout back | raise my voice | "
       "tell them off | lose my temper | snap at", red_flag=True),
    entry("blame", "any",
       "不是我的问题 不是我的错 不关我事 不关我的事 跟我没关系 和我没关系 与我无关 "
       "{人}自己的问题 是{人}的错 厂家那边的事 让{人}去找 去找厂家 甩锅 谁慢谁负责 反正不是我 "
       "告状 打小报告 偷懒 怪{人} 走人 开除 辞退 让{人}走 赶走 反正也不是我 也不是我弄 "
       "不是我弄坏 不是我弄破 不是我弄的 不是我的事 产品没有问题 产品没问题 我们没有问题 "
       "不是我们的问题 我们没问题",
       "not my fault | not my problem | not my job | their fault | blame | take "
       "it up with | courier's problem | not ours | someone else's problem", red_flag=True),
    entry("dismiss", "any",
       "我也没办法 爱买不买 那是{人}的事 不管{人}了 不管它 不理{人} 没怎么管 就不管了 不去管 "
       "想清楚了再打 看不懂再打 让{人}等着 等着吧 自己看说明书 想好了再说 自己想好 爱咋咋 "
       "想清楚了再联系 想好了再联系 想清楚再 想好再",
       "nothing i can do | there's nothing i | have to wait | just wait | tell "
       "them to wait | deal with it | too bad | ignore | email us when | call "
       "back later | tell them to calm down | it's only | tell them to figure | "
       "tell them to find out | then call us | call us when | come back when | "
       "call us back when | these things happen | things happen | wait and see | not much i "
       "can do | not much else | not much you can do | nothing else i can do | nothing more i "
       "can do", red_flag=True),
    entry("give_up", "stress",
       "不干了 不想干 辞职 撂挑子 摆烂",
       "quit | give up | walk out", red_flag=True),
    entry("unsafe", "safety",
       "打开看 打开闻 闻一下 闻闻 闻一闻 尝一下 用手摸 用手擦 直接扔 扔掉 丢掉 扔了 拆开 "
       "当没看见 装没看见 包好继续 装作没看见 假装没看见 当作没看见 装作不知道 没看见一样 粘好 "
       "胶带 封上就",
       "open it | smell it | taste | throw it away | ignore it", red_flag=True),
    entry("avoid_team", "team remote",
       "自己做自己的 各干各的 不喜欢和人沟通 不喜欢沟通 不喜欢开会 不太喜欢开会 不太喜欢和人 "
       "一个人安安静静 不想和人打交道 把{人}换掉 换掉{人} 投诉{人}",
       "prefer to work alone | prefer to … on my own | rather work alone | never ask for help | "
       "don't like asking for help | don't really like asking | rather struggle | rather figure "
       "it out myself | don't like to ask",
       red_flag=True, stance=True),
    entry("avoid_learning", "learn",
       "等别人教 等人教 不喜欢学",
       "wait until someone | wait for someone | wait to be trained | don't like learning",
       red_flag=True, stance=True),
)  # fmt: skip
