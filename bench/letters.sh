#!/bin/sh
# Letters and mail: ms a letter (compose, number, typeset, store) and mails/s delivered with
# the letter attached, as .eml files or, with LENTERA_TEST_SMTP_URL set (e.g. a local aiosmtpd:
# python3 -m aiosmtpd -n -l 127.0.0.1:2525), to that SMTP server. SQLite, and PostgreSQL when
# LENTERA_TEST_PG_URL is set. BENCH_LETTERS=500 bench/letters.sh for a longer run.
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release -p lentera-web --test it letters_bench -- --ignored --nocapture
