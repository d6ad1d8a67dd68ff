"""Mock interview rounds with the AI interviewer, one module per use case: `start` (opening a
round), `turn` (the candidate's turns and the interviewer's replies), `close` and `score` (the
scorecard), `loop` (the onsite loop), `sweep` (the clock's nudges and closing), `status`; the
port to Discord and the data it shows are in `ports`, what the cogs get back in `results`.

Every candidate turn is saved before the interviewer is asked anything, so a failing model never
loses what the member typed: the interviewer falls back to the question's own follow-ups and the
round goes on. Everything a round needs survives a restart: it lives in the database.
"""
