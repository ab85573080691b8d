package feastflow.rules.pod_security.windows_host_process_test

import data.feastflow.lib.pod_security_test as h
import data.feastflow.rules.pod_security.windows_host_process as r

test_host_process_denied if {
	s := h.spec({"securityContext": {"windowsOptions": {"hostProcess": true}}, "containers": [h.container({"securityContext": {"windowsOptions": {"hostProcess": false}}})]})
	{f.path | some f in r.violation} == {["spec", "template", "spec", "securityContext", "windowsOptions", "hostProcess"]} with input as h.deployment(s)
}
