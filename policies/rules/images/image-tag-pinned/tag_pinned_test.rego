package feastflow.rules.images.tag_pinned_test

import data.feastflow.rules.images.tag_pinned

deployment(containers) := {"object": {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {"containers": containers}}},
}}

image_path := ["spec", "template", "spec", "containers", 0, "image"]

digest := "sha256:4c5e2b0c5cfd3ae4fa0a8c4d1bd5b3d3e8f7f8c0d2b1a6e9f0c3d4e5f6a7b8c9"

no_tag := "has no tag or digest"

latest := "uses the latest tag"

# Each image and why it is not pinned ("" when it is).
cases := {
	"nginx:1.27.3": "",
	"nginx:1.27.3-alpine": "",
	"docker.io/library/nginx:1.27": "",
	"registry.example.com/team/api:2024.06.01": "",
	"registry:5000/app:1.0": "",
	"localhost:5000/team/app:v2": "",
	"[::1]:5000/app:3": "",
	concat("@", ["nginx", digest]): "",
	concat("@", ["nginx:latest", digest]): "",
	concat("@", ["registry:5000/app", digest]): "",
	"nginx:Latest": "",
	"nginx:1.27@not-a-digest": "",
	"nginx:latest@not-a-digest": latest,
	"nginx@not-a-digest": no_tag,
	"registry:5000/team@x/app": no_tag,
	"nginx": no_tag,
	"library/nginx": no_tag,
	"registry:5000/app": no_tag,
	"localhost:5000/team/app": no_tag,
	"registry.example.com/api:": no_tag,
	"nginx@": no_tag,
	"nginx@latest": no_tag,
	"nginx:latest": latest,
	"registry:5000/app:latest": latest,
	"ghcr.io/feastflow/api:latest": latest,
}

want(_, "") := set()

want(image, problem) := {{"msg": sprintf("container \"api\" image %q %s", [image, problem]), "path": image_path}} if problem != ""

test_images if {
	every image, problem in cases {
		got := tag_pinned.violation with input as deployment([{"name": "api", "image": image}])
		print(image, "got:", got)
		got == want(image, problem)
	}
}

test_exact_message if {
	tag_pinned.violation == {{
		"msg": "container \"api\" image \"registry:5000/app\" has no tag or digest",
		"path": image_path,
	}} with input as deployment([{"name": "api", "image": "registry:5000/app"}])
}

test_init_containers_and_cronjobs_are_checked if {
	spec := {
		"initContainers": [{"name": "migrate", "image": "flyway/flyway"}],
		"containers": [{"name": "backup", "image": "postgres:16.4"}, {"name": "upload", "image": "amazon/aws-cli:latest"}],
	}
	cron := {"object": {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "backup"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}}
	tag_pinned.violation == {
		{
			"msg": "container \"migrate\" image \"flyway/flyway\" has no tag or digest",
			"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "image"],
		},
		{
			"msg": "container \"upload\" image \"amazon/aws-cli:latest\" uses the latest tag",
			"path": ["spec", "jobTemplate", "spec", "template", "spec", "containers", 1, "image"],
		},
	} with input as cron
}

test_containers_without_image_are_not_checked if {
	count(tag_pinned.violation) == 0 with input as deployment([{"name": "a"}, {"name": "b", "image": ""}, {"name": "c", "image": null}])
}

test_non_workloads_are_not_checked if {
	cm := {"object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"image": "nginx:latest"}}}
	count(tag_pinned.violation) == 0 with input as cm
}
