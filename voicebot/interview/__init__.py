"""The interview engine: job profiles, the conversation machine, scoring and reports.

Pure logic, no I/O (the call driver does that). One job per module:

- ``profile``, ``profile_loader``, ``profile_checks``: the job profile (models, YAML with
  line numbers, cross-field rules); ``prompts``: the fixed prompts with zh/en defaults.
- ``events``: what the driver reports (events) and what it is asked to do (commands).
- ``state``, ``machine``, ``flow``, ``decide``: the conversation as
  ``step(state, event) -> (state, commands)``.
- ``intents``, ``numerals``, ``timeparse``, ``textnorm``: what a reply means (yes/no,
  repeat, opt-out, callback time, numbers).
- ``matching``, ``lexicon``, ``scoring``: rubric phrases in noisy transcripts, points with
  evidence; ``metrics``, ``assessment``: speech metrics, dimension scores, recommendation.
- ``report``, ``report_html``: the JSON report (schema in REPORT.md) and its HTML view.
- ``simulate``: a scripted stand-in for the driver (tests, trying a profile).
"""
