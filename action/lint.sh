#!/usr/bin/env bash
# lint.sh runs `kubectl feastflow lint` for the feastflow GitHub Action
# (action.yml), or any CI: annotations on stdout (-o github inside GitHub
# Actions, text elsewhere), SARIF for code scanning, and a Markdown summary
# with counts per rule appended to $GITHUB_STEP_SUMMARY when set. It exits
# with lint's code: 0 pass, 1 findings at or above --fail-on, 2 input errors.
#
#   FEASTFLOW_FILES      paths to lint, separated by spaces or newlines (-R -f each)
#   FEASTFLOW_KUSTOMIZE  a kustomization directory to lint instead (-k)
#   FEASTFLOW_FAIL_ON    deny (default) or warn
#   FEASTFLOW_SARIF      where to write SARIF (default feastflow.sarif; empty: none)
#   FEASTFLOW_ARGS       more lint flags, e.g. "--param cpu_limit=deny --policy-dir policies/"
#   FEASTFLOW_BIN        the kubectl-feastflow to run (default: from PATH)
set -uo pipefail

bin="${FEASTFLOW_BIN:-kubectl-feastflow}"
args=(lint --fail-on "${FEASTFLOW_FAIL_ON:-deny}")
if [[ -n "${FEASTFLOW_KUSTOMIZE:-}" ]]; then
	args+=(-k "$FEASTFLOW_KUSTOMIZE")
else
	read -r -d '' -a files <<<"${FEASTFLOW_FILES:-.}"
	args+=(-R)
	for f in "${files[@]}"; do args+=(-f "$f"); done
fi
if [[ -n "${GITHUB_ACTIONS:-}" ]]; then args+=(-o github); fi
sarif="${FEASTFLOW_SARIF-feastflow.sarif}"
[[ -n "$sarif" ]] && args+=(--report "sarif=$sarif")
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
args+=(--report "markdown=$summary")
# Word splitting of FEASTFLOW_ARGS is wanted: it is a list of flags.
# shellcheck disable=SC2206
[[ -n "${FEASTFLOW_ARGS:-}" ]] && args+=(${FEASTFLOW_ARGS})

"$bin" "${args[@]}"
code=$?

if [[ -n "${GITHUB_STEP_SUMMARY:-}" && -s "$summary" ]]; then
	cat "$summary" >>"$GITHUB_STEP_SUMMARY"
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
	{
		echo "exit-code=$code"
		echo "sarif-file=$sarif"
	} >>"$GITHUB_OUTPUT"
fi
exit "$code"
