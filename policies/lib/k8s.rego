# METADATA
# title: Kubernetes object helpers
# description: |
#   Accessors for the object under evaluation. The input document is
#   {"object": <manifest>, "namespace": <effective namespace>,
#   "schema_errors": [...], "api_errors": [...],
#   "quantities": {<request or limit quantity>: <nano-units>}}; the errors
#   are [{"path": [...], "message": "...", "severity": "deny"|"warn"}] from
#   the API server's own decoding and validation (lint only; empty
#   elsewhere); quantities is an optional cache lib/quantity.rego reads
#   (workloads only).
package feastflow.lib.k8s

# The object under evaluation.
obj := input.object

kind := obj.kind

name := obj.metadata.name

# The effective namespace: the object's own, or the run's default.
namespace := input.namespace

labels := object.get(obj, ["metadata", "labels"], {})

annotations := object.get(obj, ["metadata", "annotations"], {})

# The inventory of the other objects in the object's namespace, as
# data.inventory.namespace[namespace][apiVersion][kind][name].
namespace_objects(kind_name) := [obj |
	some obj in data.inventory.namespace[namespace][_][kind_name]
]
