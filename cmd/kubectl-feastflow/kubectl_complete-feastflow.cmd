@echo off
rem kubectl (1.26+) runs kubectl_complete-<plugin> from PATH to complete
rem "kubectl feastflow <TAB>"; cobra answers through its __complete command.
kubectl-feastflow.exe __complete %*
