# METADATA
# title: Probes as the kubelet runs them
# description: |
#   A probe acts through exactly one handler (exec, httpGet, tcpSocket,
#   grpc; a null handler is none). A null probe is treated as absent. One
#   with no handler (`{}`, only timing fields) or several is refused by the
#   API server's validation, which lint runs (schema-strict) and which
#   stops such objects before admission, so the rules here do not report
#   them again. `normalized` is a probe after the API
#   server's defaulting (pkg/apis/core/v1/defaults.go: periodSeconds 10,
#   timeoutSeconds 1, successThreshold 1, failureThreshold 3, httpGet path
#   "/" and scheme HTTP) with a named port resolved to the container's
#   port number, as the kubelet resolves it (findPortByName).
package feastflow.lib.probes

handler_names := ["exec", "httpGet", "tcpSocket", "grpc"]

# handlers(probe) are the names of the handlers the probe sets.
handlers(probe) := [h | some h in handler_names; probe[h] != null]

# usable(probe) holds when the probe has exactly one handler.
usable(probe) if count(handlers(probe)) == 1

# missing(container, field) holds when the container has no probe in
# field ("livenessProbe", ...): absent or null. A probe written without a
# handler is the API server's to refuse (see above).
missing(container, field) if not container[field]

missing(container, field) if container[field] == null

# resolved_port(container, port) is the number a probe port stands for: a
# number as is, a name the containerPort of the container's port of that
# name; a name no port has stays as it is.
resolved_port(container, port) := p.containerPort if {
	is_string(port)
	some p in container.ports
	p.name == port
} else := port

timing_defaults := {
	"initialDelaySeconds": 0,
	"periodSeconds": 10,
	"timeoutSeconds": 1,
	"successThreshold": 1,
	"failureThreshold": 3,
}

# normalized(container, probe) is the probe as the kubelet runs it: its
# timing with defaults, its one handler with defaults and the port
# resolved. terminationGracePeriodSeconds (liveness and startup only) is
# left out.
normalized(container, probe) := {
	"timing": {k: v | some k, d in timing_defaults; v := value_or(probe, k, d)},
	"handler": {h: normalized_handler(container, h, probe[h])},
} if {
	[h] := handlers(probe)
}

value_or(obj, key, d) := v if {
	v := obj[key]
	v != null
} else := d

normalized_handler(container, "httpGet", action) := {
	"path": value_or(action, "path", "/"),
	"scheme": value_or(action, "scheme", "HTTP"),
	"host": value_or(action, "host", ""),
	"port": resolved_port(container, action.port),
	"httpHeaders": value_or(action, "httpHeaders", []),
}

normalized_handler(container, "tcpSocket", action) := {
	"host": value_or(action, "host", ""),
	"port": resolved_port(container, action.port),
}

normalized_handler(_, "grpc", action) := {"port": action.port, "service": value_or(action, "service", "")}

normalized_handler(_, "exec", action) := {"command": value_or(action, "command", [])}

# subject(c) names an entry of workload.app_containers in messages:
# `container "api"` or `sidecar container "proxy"`.
subject(c) := sprintf("sidecar container %q", [c.container.name]) if c.sidecar

subject(c) := sprintf("container %q", [c.container.name]) if not c.sidecar

# missing_path(c, field) is where a missing probe is reported: the
# container, or the probe field when it is written as null.
missing_path(c, field) := array.concat(c.path, [field]) if {
	_ = c.container[field]
} else := c.path

# missing_reason(container, field) completes "has no <field>".
missing_reason(container, field) := ": it is null" if {
	container[field] == null
} else := ""

# same_handler(a, b): a cheap screen before normalized(): both probes use
# the same single handler, and for httpGet the same path.
same_handler(a, b) if {
	[h] := handlers(a)
	[h] == handlers(b)
	value_or(a[h], "path", "/") == value_or(b[h], "path", "/")
}

# different_http_paths(a, b): a cheaper screen before same_handler, for
# the common pair of HTTP probes on different paths: both set an httpGet
# path, and they differ. Such probes never have the same handler (with
# httpGet as their one handler the paths differ; with another handler
# they have two).
different_http_paths(a, b) if {
	pa := a.httpGet.path
	pb := b.httpGet.path
	is_string(pa)
	is_string(pb)
	pa != pb
}
