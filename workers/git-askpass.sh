#!/bin/sh
# GIT_ASKPASS helper: git runs it with its prompt as $1. The token stays in the environment
# (from an SST secret on Fargate) and never enters a URL, the git config or a log line.
case "$1" in
  Username*) echo "x-access-token" ;;
  *) echo "${AGENTVINE_GIT_TOKEN:-}" ;;
esac
