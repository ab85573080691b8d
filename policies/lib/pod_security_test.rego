package feastflow.lib.pod_security_test

import data.feastflow.lib.pod_security as pss

# Helpers for the pod-security rules' tests (a _test.rego file: only
# `opa test` loads it).

c0 := ["spec", "template", "spec", "containers", 0]

# container is a container passing restricted, merged with extra.
container(extra) := object.union(
	{"name": "app", "image": "app:1", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}},
	extra,
)

# spec is a pod spec passing restricted, merged with extra.
spec(extra) := object.union(
	{"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}, "containers": [container({})]},
	extra,
)

# deployment(pod_spec) is the input for a Deployment in namespace shop.
deployment(pod_spec) := {"namespace": "shop", "object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api", "namespace": "shop"},
	"spec": {"template": {"metadata": {"labels": {"app": "api"}}, "spec": pod_spec}},
}}

# pod(pod_spec) is the input for a Pod in namespace shop.
pod(pod_spec) := {"namespace": "shop", "object": {
	"apiVersion": "v1", "kind": "Pod",
	"metadata": {"name": "api", "namespace": "shop"},
	"spec": pod_spec,
}}

# inventory(labels) is data.inventory with namespace shop labelled.
inventory(labels) := {"cluster": {"v1": {"Namespace": {"shop": {"metadata": {"name": "shop", "labels": labels}}}}}, "namespace": {}}

enforce(level, version) := inventory({
	"pod-security.kubernetes.io/enforce": level,
	"pod-security.kubernetes.io/enforce-version": version,
})

# only(level, version) checks in one mode: enforce and warn the same.
only(level, version) := inventory({
	"pod-security.kubernetes.io/enforce": level,
	"pod-security.kubernetes.io/enforce-version": version,
	"pod-security.kubernetes.io/warn": level,
	"pod-security.kubernetes.io/warn-version": version,
})

modes := [pss.enforce, pss.warn]

test_defaults_are_baseline_deny_restricted_warn if {
	modes == [
		{"level": "baseline", "minor": pss.latest, "severity": "deny"},
		{"level": "restricted", "minor": pss.latest, "severity": "warn"},
	] with input as deployment(spec({}))
}

test_parameters_set_the_defaults if {
	modes == [
		{"level": "restricted", "minor": 30, "severity": "deny"},
		{"level": "privileged", "minor": 30, "severity": "warn"},
	] with input as deployment(spec({}))
		with data.feastflow.params as {"pod_security_level": "restricted", "pod_security_warn_level": "privileged", "pod_security_version": "v1.30"}
}

# Each case: namespace labels and the enforce and warn modes PSA derives
# (api.PolicyToEvaluate, with our defaults: warn is raised to the enforce
# level and version only when enforce is stricter than restricted, never).
label_cases := [
	[{"pod-security.kubernetes.io/enforce": "restricted"}, ["restricted", pss.latest], ["restricted", pss.latest]],
	[{"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.24"}, ["restricted", 24], ["restricted", pss.latest]],
	[{"pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/enforce-version": "v1.24"}, ["baseline", 24], ["restricted", pss.latest]],
	[{"pod-security.kubernetes.io/enforce": "privileged"}, ["privileged", pss.latest], ["restricted", pss.latest]],
	[{"pod-security.kubernetes.io/enforce": "bogus"}, ["restricted", pss.latest], ["restricted", pss.latest]],
	[{"pod-security.kubernetes.io/enforce-version": "v2.0"}, ["baseline", pss.latest], ["restricted", pss.latest]],
	[{"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/warn": "baseline"}, ["restricted", pss.latest], ["baseline", pss.latest]],
	[{"pod-security.kubernetes.io/warn": "bogus"}, ["baseline", pss.latest], ["privileged", pss.latest]],
	[{"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.20", "pod-security.kubernetes.io/warn-version": "v1.30"}, ["restricted", 20], ["restricted", 30]],
]

test_namespace_labels_set_the_modes if {
	every case in label_cases {
		got := [[m.level, m.minor] | some m in modes] with input as deployment(spec({}))
			with data.inventory as inventory(case[0])
		print(case[0], got)
		got == [case[1], case[2]]
	}
}

test_other_namespaces_labels_do_not_apply if {
	inv := {"cluster": {"v1": {"Namespace": {"other": {"metadata": {"labels": {"pod-security.kubernetes.io/enforce": "restricted"}}}}}}}
	pss.enforce.level == "baseline" with input as deployment(spec({})) with data.inventory as inv
}

controls(level, minor) := {id | some id, _ in pss.controls; pss.active(id, {"level": level, "minor": minor})}

test_controls_by_level_and_version if {
	controls("privileged", pss.latest) == set()
	"pss-host-path-volumes" in controls("baseline", pss.latest)
	not "pss-host-path-volumes" in controls("restricted", pss.latest)
	"pss-volume-types" in controls("restricted", pss.latest)
	"pss-capabilities-baseline" in controls("restricted", 21)
	not "pss-capabilities-baseline" in controls("restricted", 22)
	not "pss-host-probes" in controls("baseline", 33)
	"pss-host-probes" in controls("baseline", 34)
	count(controls("baseline", pss.latest)) == 12
	count(controls("restricted", pss.latest)) == 15
}

test_ephemeral_containers_are_checked if {
	s := spec({"ephemeralContainers": [{"name": "debug", "image": "busybox"}]})
	count(pss.containers) == 2 with input as pod(s)
}

test_version_names if {
	pss.version_name(pss.latest) == "latest"
	pss.version_name(25) == "v1.25"
	pss.version_minor("v1.0") == 0
	not pss.version_minor("v1.01")
	not pss.version_minor("1.25")
}

# The screen clears pods that set the usual safe values, so that the
# rules it guards stop at once, and suspects the controls of anything
# else (a container lacking what restricted requires: all three of
# capabilities, runAsNonRoot and seccomp).
restricted_sc := {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}

screen_cases := {
	"hardened pod": [spec({}), set()],
	"runAsNonRoot on the container": [
		{"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [container({"securityContext": object.union(restricted_sc, {"runAsNonRoot": true})})]},
		set(),
	],
	"everything on the container": [
		{"containers": [container({"securityContext": object.union(restricted_sc, {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}})})]},
		set(),
	],
	"no seccomp profile": [
		{"securityContext": {"runAsNonRoot": true}, "containers": [container({})]},
		{"pss-capabilities-restricted", "pss-run-as-non-root", "pss-seccomp-restricted"},
	],
	"runAsNonRoot false": [
		spec({"securityContext": {"runAsNonRoot": false}}),
		{"pss-capabilities-restricted", "pss-run-as-non-root", "pss-seccomp-restricted"},
	],
	"Localhost profile": [spec({"securityContext": {"seccompProfile": {"type": "Localhost"}}}), {"pss-seccomp-baseline", "pss-seccomp-restricted"}],
	"seLinuxOptions and windowsOptions": [
		spec({"securityContext": {"seLinuxOptions": {}, "windowsOptions": {"hostProcess": true}}}),
		{"pss-selinux", "pss-windows-host-process"},
	],
	"added capability and AppArmor profile": [
		spec({"containers": [container({"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}, "appArmorProfile": {"type": "Unconfined"}}})]}),
		{"pss-apparmor", "pss-capabilities-restricted"},
	],
	"ALL not dropped": [
		spec({"containers": [container({"securityContext": {"capabilities": {"drop": ["NET_RAW"]}}})]}),
		{"pss-capabilities-restricted", "pss-run-as-non-root", "pss-seccomp-restricted"},
	],
	"ephemeral container": [
		spec({"ephemeralContainers": [{"name": "debug", "image": "busybox"}]}),
		{"pss-capabilities-restricted", "pss-run-as-non-root", "pss-seccomp-restricted"},
	],
}

test_screen if {
	every name, tc in screen_cases {
		[pod_spec, want] := tc
		pss.suspects == want with input as pod(pod_spec)
		print(name)
	}
}

screen_annotation_cases := {
	"other annotation": [{"checksum/config": "x"}, set()],
	"seccomp annotation": [{"seccomp.security.alpha.kubernetes.io/pod": "runtime/default"}, {"pss-apparmor", "pss-seccomp-baseline"}],
	"AppArmor annotation": [{"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}, {"pss-apparmor", "pss-seccomp-baseline"}],
}

test_screen_annotations if {
	every name, tc in screen_annotation_cases {
		[annotations, want] := tc
		pod_input := object.union(deployment(spec({})), {"object": {"spec": {"template": {"metadata": {"annotations": annotations}}}}})
		pss.suspects == want with input as pod_input
		print(name)
	}
}
