# METADATA
# title: Images must be pinned to a tag or digest
# description: |
#   An image without a tag means :latest, and :latest (like any tag the
#   registry moves) makes what runs depend on when a node pulled it:
#   replicas drift apart, rollbacks do not roll back, and an unreviewed
#   image can reach production. Every container is checked, init
#   containers included. A registry port (registry:5000/app) is not a tag.
#   Containers without an image, left for tooling to fill in, are not
#   checked.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/containers/images/#image-names
#     description: Image names
# custom:
#   id: image-tag-pinned
#   kinds: [workloads]
#   severity: deny
#   remediation: |
#     Reference a released version, e.g. registry.example.com/api:1.4.2,
#     or better its digest, e.g. registry.example.com/api@sha256:<digest>
#     (`crane digest` or `docker buildx imagetools inspect` print it).
package feastflow.rules.images.tag_pinned

import data.feastflow.lib.workload

violation contains {"msg": msg, "path": array.concat(c.path, ["image"])} if {
	some c in workload.all_containers
	image := c.container.image
	is_string(image)
	image != ""
	not has_digest(image)
	problem := tag_problem(image)
	msg := sprintf("container %q image %q %s", [c.container.name, image, problem])
}

# has_digest(image): image is name@algorithm:hex, which pins it whatever
# its tag says.
has_digest(image) if {
	contains(image, "@")
	parts := split(image, "@")
	count(parts) == 2
	regex.match(`^[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$`, parts[1])
}

# tag_problem(image) says why an image without a digest is not pinned;
# undefined when its tag pins it. The tag follows a ":" in the last path
# segment (before any "@"), so registry:5000/app has none.
tag_problem(image) := "has no tag or digest" if {
	not regex.match(`:[^/@]+(@.*)?$`, image)
} else := "uses the latest tag" if {
	latest(image)
}

latest(image) if endswith(image, ":latest")

latest(image) if contains(image, ":latest@")
