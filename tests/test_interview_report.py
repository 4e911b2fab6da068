"""The JSON report and its HTML view, built from a simulated interview's final state."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from voicebot.interview.events import Segment, TranscriptReady, TurnEnded
from voicebot.interview.metrics import compute, fluency
from voicebot.interview.profile_loader import load_profile
from voicebot.interview.report import SCHEMA_VERSION, build_report
from voicebot.interview.report_html import bar_chart, render_html
from voicebot.interview.simulate import Sim
from voicebot.interview.state import Candidate

EXAMPLES = Path(__file__).parent.parent / "examples"
HOME = load_profile(EXAMPLES / "home_customer_service_zh.yaml")
WAREHOUSE = load_profile(EXAMPLES / "warehouse_sorting_zh.yaml")
NOW = datetime(2025, 3, 5, 10, 0)

ANSWERS = {
    "home_setup": "有的",
    "experience_years": "三年",
    "customer_needs": "我会先耐心倾听，然后询问客户需求，复述确认，记录客户的偏好，最后跟进回访。",
    "angry_customer": "首先我会保持冷静，不往心里去，深呼吸调整情绪，下班后总结经验。",
    "remote_expectation": "我会在群里及时同步进度，用共享文档，遇到问题及时求助组长。",
    "problem_solving": (
        "有一次客户订单没发货，我核实后发现是地址填错了，联系仓库重发，第二天跟进确认。"
    ),
    "weekend_shifts": "可以",
}


def interview(profile=HOME, answers=ANSWERS, name: str = "李娜") -> Sim:  # type: ignore[no-untyped-def]
    sim = Sim(profile, Candidate(7, name, ("超市收银",)), now=NOW)
    sim.start()
    sim.say("同意")
    sim.say("方便")
    while sim.state.phase == "question":
        q = sim.state.question
        assert q is not None
        text = answers[q.id]
        sim.say(text, speech_s=8.0 if q.type == "open" else None)
    sim.say("没有了")
    sim.hang_up()
    return sim


def test_report_of_a_completed_interview() -> None:
    sim = interview()
    report = build_report(sim.state, call_id="c-1", generated_at=NOW)
    json.dumps(report, ensure_ascii=False)  # JSON-ready
    assert report["schema"] == "voicebot.interview-report"
    assert report["schema_version"] == SCHEMA_VERSION
    assert report["call"]["outcome"] == "completed"
    assert report["call"]["recording_kept"]
    assert report["candidate"] == {
        "candidate_id": 7,
        "name": "李娜",
        "resume_keywords": ["超市收银"],
    }
    assert report["job"]["questions_planned"] == list(ANSWERS)
    rec = report["recommendation"]
    assert rec["value"] == "advance"
    assert rec["automated_final_decision"] is False
    assert report["total"] is not None
    assert report["total"] >= HOME.scoring.advance_at
    assert [d["id"] for d in report["dimensions"]] == [d.id for d in HOME.dimensions]
    for d in report["dimensions"]:
        assert abs(sum(c["points"] for c in d["contributions"]) - d["score"]) < 0.2
    needs = next(q for q in report["questions"] if q["id"] == "customer_needs")
    assert needs["transcript"] == ANSWERS["customer_needs"]
    assert needs["audio"]["start_s"] < needs["audio"]["end_s"]
    assert any(e["kind"] == "action" and e["excerpt"] == "询问" for e in needs["evidence"])
    assert any(
        e["start_s"] == needs["audio"]["start_s"] for e in needs["evidence"] if "start_s" in e
    )
    assert report["key_excerpts"]
    assert len(report["transcript"]) == len(sim.state.turns)
    assert report["metrics"]["barge_ins"] == 0
    assert report["metrics"]["rate_per_min"] > 0


def test_knockout_means_reject_pending_human_review() -> None:
    answers = {
        "night_shift": "不行，我晚上要照顾孩子",
        "heavy_lifting": "可以",
        "days_per_week": "五天",
        "commute": "坐地铁",
        "broken_parcel": "先停下来，戴上手套，把包裹单独放到一边，拍照登记，报告组长。",
        "slow_teammate": "我会主动帮他，教他方法，再跟组长沟通调整分工。",
        "experience": "我在快递公司做过两年分拣和打包，也会扫码。",
    }
    report = build_report(interview(WAREHOUSE, answers).state)
    rec = report["recommendation"]
    assert rec["value"] == "reject"
    assert rec["requires_human_review"] is True
    assert rec["automated_final_decision"] is False
    assert "人工复核" in rec["notice"]
    assert report["knockouts"] == [
        {
            "question_id": "night_shift",
            "value": "no",
            "reason": "不能上夜班",
            "status": "knocked_out",
        }
    ]
    assert report["call"]["outcome"] == "completed"


def test_no_consent_keeps_no_transcript_and_no_scores() -> None:
    sim = Sim(HOME, now=NOW)
    sim.start()
    sim.say("我不同意")
    sim.finished()
    report = build_report(sim.state)
    assert report["call"]["outcome"] == "declined"
    assert report["call"]["recording_kept"] is False
    assert report["transcript"] == []
    assert report["questions"] == []
    assert report["recommendation"] is None


def test_hung_up_interview_is_incomplete_and_goes_to_review() -> None:
    sim = Sim(HOME, now=NOW)
    sim.start()
    sim.say("同意")
    sim.say("方便")
    sim.say("有的")
    sim.hang_up()
    report = build_report(sim.state)
    assert report["call"]["outcome"] == "hung_up"
    assert report["complete"] is False
    assert report["recommendation"]["value"] == "review"


def test_callback_is_in_the_report() -> None:
    sim = Sim(HOME, now=NOW)
    sim.start()
    sim.say("同意")
    sim.say("明天晚上吧，现在不方便")
    sim.finished()
    cb = build_report(sim.state)["call"]["callback"]
    assert cb == {"at": "2025-03-06T19:00", "said": "明天 晚上", "default_delay": False}


def test_speech_metrics_from_segments() -> None:
    sim = Sim(HOME, now=NOW)
    sim.start()
    sim.say("同意")
    sim.say("方便")
    sim.say("有的")
    sim.say("三年")
    sim.play_all()
    prompt_end = sim.t
    sim.send(TurnEnded(40, prompt_end + 2.0, prompt_end + 12.0, 10.0))
    segs = (Segment(prompt_end + 2.0, prompt_end + 5.0, "我会先询问客户需求，"),
            Segment(prompt_end + 8.5, prompt_end + 12.0, "记录偏好，然后跟进回访"))  # fmt: skip
    sim.send(TranscriptReady(40, "我会先询问客户需求，记录偏好，然后跟进回访", segments=segs))
    m = compute(sim.state)
    needs = next(a for a in m.answers if a.question_id == "customer_needs")
    assert needs.pauses == 1
    assert needs.longest_pause_s == 3.5
    assert needs.latency_s == 2.0
    assert needs.rate_per_min == round(needs.units / 10.0 * 60, 1)
    score = fluency(m, "zh")
    assert score is not None
    assert score[0] < 100
    assert any(e.kind == "metric:longest_pause" and e.points == 15.0 for e in score[1])


def test_html_report_is_self_contained_and_escaped() -> None:
    report = build_report(interview(name="<script>alert(1)</script>").state, generated_at=NOW)
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page
    assert "<style>" in page
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for section in ("Dimensions", "Answers", "Speech metrics", "Transcript", "Key excerpts"):
        assert section in page
    assert "沟通能力 (30%)" in page
    assert ANSWERS["customer_needs"] in page
    assert "requires human review" not in page  # advance
    assert "不构成最终录用决定" in page


def test_bar_chart_has_one_bar_per_dimension() -> None:
    svg = bar_chart(
        [{"name": "A", "weight": 60, "score": 80.0}, {"name": "B", "weight": 40, "score": None}]
    )
    assert svg.count('height="16" fill="#f2f4f7"') == 2
    assert 'width="288.0"' in svg  # 80% of 360
