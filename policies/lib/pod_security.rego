# METADATA
# title: Pod Security Standards
# description: |
#   What the pod-security rules share: the modes (level and version) each
#   object is checked in, which controls apply in a mode, and the pod's
#   containers (init containers and native sidecars, app containers,
#   ephemeral containers: every container PSA visits).
#
#   Modes follow Pod Security Admission (k8s.io/pod-security-admission,
#   api.PolicyToEvaluate). The parameters pod_security_level (default
#   "baseline": findings deny), pod_security_warn_level (default
#   "restricted": further findings warn) and pod_security_version
#   (default "latest") are the defaults; the labels
#   pod-security.kubernetes.io/enforce, enforce-version, warn and
#   warn-version of the object's Namespace (in the inventory) override
#   them as PSA's do: an unreadable enforce level is "restricted", an
#   unreadable warn level "privileged", an unreadable version "latest",
#   and an enforce label stricter than the warn default raises warn to it.
#
#   Rules test their cheap field conditions first and ask for modes only
#   when a field is set wrong, so a compliant pod costs each rule one
#   lookup per container; the rules that read several fields of the pod
#   and of each container look only when the screen of
#   pod_security_screen.rego (suspects, evaluated once per object) says
#   those fields are set other than the usual safe way. Versions are
#   minor numbers: "v1.25" is 25, "latest" is `latest`.
package feastflow.lib.pod_security

import data.feastflow.lib.params
import data.feastflow.lib.workload

level_rank := {"privileged": 0, "baseline": 1, "restricted": 2}

# latest is the minor number of "latest": newer than every check version.
latest := 1000000

# version_minor(v) is x for "v1.x" and latest for "latest"; undefined otherwise.
version_minor(v) := latest if {
	v == "latest"
} else := to_number(m[1]) if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^v1\.([0-9]|[1-9][0-9]*)$`, v, 1)[0]
}

# version_name(minor) renders a minor number as PSA does ("latest", "v1.25").
version_name(minor) := "latest" if {
	minor == latest
} else := sprintf("v1.%d", [minor])

# param(key) is a parameter's value (the engine stores all of them).
param(key) := v if {
	v := data.feastflow.params[key]
} else := params.defaults[key]

default_level := v if {
	v := param("pod_security_level")
	level_rank[v]
} else := "baseline"

default_warn_level := v if {
	v := param("pod_security_warn_level")
	level_rank[v]
} else := "restricted"

default_minor := m if {
	m := version_minor(param("pod_security_version"))
} else := latest

# ns_labels are the labels of the object's Namespace, when the inventory has it.
ns_labels := labels if {
	labels := data.inventory.cluster.v1.Namespace[input.namespace].metadata.labels
	is_object(labels)
} else := {}

enforce_level := v if {
	v := ns_labels["pod-security.kubernetes.io/enforce"]
	level_rank[v]
} else := "restricted" if {
	ns_labels["pod-security.kubernetes.io/enforce"]
} else := default_level

enforce_minor := m if {
	m := version_minor(ns_labels["pod-security.kubernetes.io/enforce-version"])
} else := latest if {
	ns_labels["pod-security.kubernetes.io/enforce-version"]
} else := default_minor

# warn_raised: PSA raises the warn level to an explicit, valid, stricter enforce level.
warn_raised if {
	not ns_labels["pod-security.kubernetes.io/warn"]
	level_rank[ns_labels["pod-security.kubernetes.io/enforce"]]
	level_rank[enforce_level] > level_rank[default_warn_level]
}

warn_level := v if {
	v := ns_labels["pod-security.kubernetes.io/warn"]
	level_rank[v]
} else := "privileged" if {
	ns_labels["pod-security.kubernetes.io/warn"]
} else := enforce_level if {
	warn_raised
} else := default_warn_level

warn_minor := m if {
	m := version_minor(ns_labels["pod-security.kubernetes.io/warn-version"])
} else := latest if {
	ns_labels["pod-security.kubernetes.io/warn-version"]
} else := enforce_minor if {
	warn_raised
} else := default_minor

# enforce and warn are the two modes an object is checked in.
enforce := {"level": enforce_level, "minor": enforce_minor, "severity": "deny"}

warn := {"level": warn_level, "minor": warn_minor, "severity": "warn"}

# controls: each rule's level, the first version PSA checks it in and,
# for baseline checks a restricted check replaces, the first version the
# replacement exists in.
controls := {
	"pss-privileged": {"level": "baseline", "since": 0},
	"pss-host-namespaces": {"level": "baseline", "since": 0},
	"pss-host-path-volumes": {"level": "baseline", "since": 0, "replaced_since": 0},
	"pss-host-ports": {"level": "baseline", "since": 0},
	"pss-host-probes": {"level": "baseline", "since": 34},
	"pss-apparmor": {"level": "baseline", "since": 0},
	"pss-selinux": {"level": "baseline", "since": 0},
	"pss-proc-mount": {"level": "baseline", "since": 0},
	"pss-seccomp-baseline": {"level": "baseline", "since": 0, "replaced_since": 19},
	"pss-sysctls": {"level": "baseline", "since": 0},
	"pss-windows-host-process": {"level": "baseline", "since": 0},
	"pss-capabilities-baseline": {"level": "baseline", "since": 0, "replaced_since": 22},
	"pss-volume-types": {"level": "restricted", "since": 0},
	"pss-privilege-escalation": {"level": "restricted", "since": 8},
	"pss-run-as-non-root": {"level": "restricted", "since": 0},
	"pss-run-as-user": {"level": "restricted", "since": 23},
	"pss-seccomp-restricted": {"level": "restricted", "since": 19},
	"pss-capabilities-restricted": {"level": "restricted", "since": 22},
}

# active(id, mode): control id applies at the mode's level and version.
active(id, mode) if {
	c := controls[id]
	level_rank[mode.level] >= level_rank[c.level]
	mode.minor >= c.since
	not replaced(c, mode)
}

replaced(c, mode) if {
	mode.level == "restricted"
	mode.minor >= c.replaced_since
}

# mode_of(id) is the mode a version- and level-independent control is
# reported in: enforce when it applies there, else warn; undefined when
# it applies in neither.
mode_of(id) := enforce if {
	active(id, enforce)
} else := warn if {
	active(id, warn)
}

# modes(id) are the modes a version- or level-dependent control is
# checked in, enforce first. Such rules drop a warn-mode finding when
# the enforce mode finds the same (see enforce_checks).
modes(id) := [m | some m in [enforce, warn]; active(id, m)]

# enforce_checks(id, mode): mode is warn and the enforce mode checks id
# too, so a rule must not report in warn what it reports in enforce.
enforce_checks(id, mode) if {
	mode.severity == "warn"
	active(id, enforce)
}

# windows: PSA (1.25+) skips some restricted checks for Windows pods.
windows if workload.pod_spec.os.name == "windows"

# user_namespace: hostUsers false; PSA (1.35+) relaxes some checks for it.
user_namespace if workload.pod_spec.hostUsers == false

# containers: every container PSA visits, as workload.all_containers
# gives them ({"container", "path", ...}), ephemeral containers included.
containers := array.concat(workload.all_containers, workload.ephemeral_containers)

pod_sc := sc if {
	sc := workload.pod_spec.securityContext
	is_object(sc)
} else := {}

pod_sc_path := array.concat(workload.pod_spec_path, ["securityContext"])

pod_annotations := a if {
	a := object.get(input.object, array.concat(workload.pod_metadata_path, ["annotations"]), {})
	is_object(a)
} else := {}

pod_annotations_path := array.concat(workload.pod_metadata_path, ["annotations"])

# volumes are the pod's volumes.
volumes := v if {
	v := workload.pod_spec.volumes
	is_array(v)
} else := []

# name(c) is container c's name ("" when it has none).
name(c) := n if {
	n := c.container.name
	is_string(n)
} else := ""

# sc_path(c, rest) is the path of c's securityContext followed by rest.
sc_path(c, rest) := array.concat(array.concat(c.path, ["securityContext"]), rest)

# field_path(c, field) is the path of c's securityContext.<field>, or of
# its closest existing parent.
field_path(c, field) := sc_path(c, [field]) if {
	is_object(c.container.securityContext)
	field in object.keys(c.container.securityContext)
} else := sc_path(c, []) if {
	is_object(c.container.securityContext)
} else := c.path

# pod_field_path(field) is the same for the pod's securityContext.<field>.
pod_field_path(field) := array.concat(pod_sc_path, [field]) if {
	field in object.keys(pod_sc)
} else := pod_sc_path if {
	is_object(workload.pod_spec.securityContext)
} else := workload.pod_spec_path

# string_or_empty(o, key) is o[key] when it is a string, else "".
string_or_empty(o, key) := v if {
	v := o[key]
	is_string(v)
} else := ""

# finding(msg, path, mode) is a violation found in mode, its message
# naming the level and version as PSA's do.
finding(msg, path, mode) := {
	"msg": sprintf("%s (PodSecurity \"%s:%s\")", [msg, mode.level, version_name(mode.minor)]),
	"path": path,
	"severity": mode.severity,
}
